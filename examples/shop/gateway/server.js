'use strict';

const express = require('express');

const PORT = Number(process.env.PORT || 3000);
const ORDERS_URL = (process.env.ORDERS_URL || 'http://127.0.0.1:5001').replace(/\/+$/, '');
const UPSTREAM_TIMEOUT_MS = Number(process.env.UPSTREAM_TIMEOUT_MS || 5000);

const app = express();
app.use(express.json());

// One log line per request: method, path, status, duration.
app.use((req, res, next) => {
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${new Date().toISOString()} ${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  next();
});

class UpstreamError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = 'UpstreamError';
    this.status = status;
    this.body = body;
  }
}

async function ordersRequest(method, path, body) {
  const res = await fetch(`${ORDERS_URL}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  });
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { raw: text };
  }
  if (!res.ok) {
    throw new UpstreamError(`orders ${method} ${path} -> ${res.status}`, res.status, data);
  }
  return data;
}

// Fire-and-forget audit call: runs after the response has been sent.
function auditRecentOrders(reason) {
  setImmediate(() => {
    ordersRequest('GET', '/orders/recent')
      .then((recent) => {
        const count = Array.isArray(recent && recent.orders) ? recent.orders.length : 0;
        console.log(`audit (${reason}): orders service reports ${count} recent order(s)`);
      })
      .catch((err) => {
        console.log(`audit (${reason}) failed: ${err.message}`);
      });
  });
}

app.get('/health', (req, res) => {
  res.json({ status: 'ok', service: 'gateway' });
});

app.get('/checkout/:sku', async (req, res, next) => {
  const qty = Math.max(1, parseInt(req.query.qty, 10) || 1);
  try {
    const order = await ordersRequest('POST', '/orders', { sku: req.params.sku, qty });
    res.json(order);
    auditRecentOrders(`checkout ${req.params.sku}`);
  } catch (err) {
    next(err);
  }
});

// Dashboard summary: two upstream calls in parallel.
app.get('/summary', async (req, res, next) => {
  try {
    const [health, recent] = await Promise.all([
      ordersRequest('GET', '/health'),
      ordersRequest('GET', '/orders/recent'),
    ]);
    res.json({ orders: health, recent: recent.orders || [] });
  } catch (err) {
    next(err);
  }
});

// Calls an orders endpoint that is known to fail, to show how errors propagate.
app.get('/fail', async (req, res, next) => {
  try {
    const data = await ordersRequest('GET', '/orders/fail');
    res.json(data);
  } catch (err) {
    next(err);
  }
});

app.use((req, res) => {
  res.status(404).json({ error: 'not found' });
});

// eslint-disable-next-line no-unused-vars
app.use((err, req, res, next) => {
  if (err instanceof UpstreamError) {
    console.log(`upstream error: ${err.message}`);
    // Pass client errors (404 unknown sku, 409 out of stock) through; map server errors to 502.
    const status = err.status >= 400 && err.status < 500 ? err.status : 502;
    return res.status(status).json({ error: err.message, upstream: err.body });
  }
  console.error(`unhandled error on ${req.method} ${req.originalUrl}:`, err);
  res.status(500).json({ error: 'internal error' });
});

app.listen(PORT, '127.0.0.1', () => {
  console.log(`gateway listening on http://127.0.0.1:${PORT} (orders at ${ORDERS_URL})`);
});
