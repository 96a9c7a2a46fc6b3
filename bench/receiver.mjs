#!/usr/bin/env node
// Bench for the built-in OTLP receiver: this process runs the receiver (one Node thread, so one core); a second process
// (this script forked in sender mode) posts pre-encoded OTLP/HTTP protobuf batches to it as fast as it can for N
// seconds, over keep-alive connections with a few requests in flight. Prints spans/s accepted and the receiver's peak
// RSS, sampled every 50 ms, beside its RSS when the store first filled to its cap (memory must stay flat past the cap).
// Target: at least 200,000 spans/s. Then 51 spans with a 4 MB attribute each go to a fresh receiver: the store's
// retained-byte estimate and the JS heap growth show that oversized values are cut on arrival.
//
//   npm run build && node bench/receiver.mjs [--seconds 10] [--batch 512] [--inflight 4] [--max-spans 100000]
//
// Imports the compiled receiver from ../dist/verify/receiver/.
import { fork } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SECONDS = arg('seconds', 10);
const BATCH = arg('batch', 512);
const INFLIGHT = arg('inflight', 4);
const MAX_SPANS = arg('max-spans', 100_000);
const DISTINCT_BATCHES = 32;

const dist = (file) => new URL(`../dist/verify/receiver/${file}`, import.meta.url).href;

if (process.argv[2] === '--sender') await runSender(process.argv[3]);
else await runReceiverSide();

/** A realistic batch: one service, traces of 4 spans (server root, two clients, one internal), semconv attributes. */
async function encodeBatches() {
  const { ExportTraceServiceRequestType } = await import(dist('otlp-schema.js'));
  const str = (key, value) => ({ key, value: { stringValue: value } });
  const int = (key, value) => ({ key, value: { intValue: value } });
  const batches = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  for (let b = 0; b < DISTINCT_BATCHES; b++) {
    const spans = [];
    let traceId;
    let rootId;
    for (let i = 0; i < BATCH; i++) {
      if (i % 4 === 0) {
        traceId = randomBytes(16);
        rootId = randomBytes(8);
      }
      const isRoot = i % 4 === 0;
      const start = now + BigInt(i) * 1_000_000n;
      spans.push({
        traceId,
        spanId: isRoot ? rootId : randomBytes(8),
        parentSpanId: isRoot ? undefined : rootId,
        name: isRoot ? 'GET /api/orders/:id' : i % 4 === 3 ? 'price order' : 'SELECT orders',
        kind: isRoot ? 2 : i % 4 === 3 ? 1 : 3,
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + 2_500_000n).toString(),
        attributes: isRoot
          ? [
              str('http.request.method', 'GET'),
              str('url.path', `/api/orders/${i}`),
              str('http.route', '/api/orders/:id'),
              int('http.response.status_code', 200),
              str('server.address', 'orders.internal'),
              int('server.port', 8080),
              str('user_agent.original', 'curl/8.5.0'),
              str('order.id', `ord-${b}-${i}`),
            ]
          : [
              str('db.system.name', 'postgresql'),
              str('db.query.text', 'SELECT * FROM orders WHERE id = $1'),
              str('db.operation.name', 'SELECT'),
              str('server.address', 'db.internal'),
              int('server.port', 5432),
            ],
        status: i % 97 === 0 ? { code: 2, message: 'timeout' } : { code: 0 },
      });
    }
    const request = ExportTraceServiceRequestType.fromObject({
      resourceSpans: [
        {
          resource: {
            attributes: [
              str('service.name', 'orders'),
              str('service.version', '1.4.2'),
              str('telemetry.sdk.language', 'nodejs'),
              str('telemetry.sdk.name', 'opentelemetry'),
              str('telemetry.sdk.version', '2.2.0'),
            ],
          },
          scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.208.0' }, spans }],
        },
      ],
    });
    batches.push(Buffer.from(ExportTraceServiceRequestType.encode(request).finish()));
  }
  return batches;
}

async function runSender(url) {
  const batches = await encodeBatches();
  const agent = new http.Agent({ keepAlive: true, maxSockets: INFLIGHT });
  const target = new URL(url);
  const deadline = Date.now() + SECONDS * 1000;
  let sent = 0;
  let failed = 0;
  const post = (body) =>
    new Promise((resolve) => {
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: '/v1/traces',
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (response) => {
          if (response.statusCode !== 200) failed++;
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('error', () => {
        failed++;
        resolve();
      });
      request.end(body);
    });
  const lane = async (offset) => {
    for (let i = offset; Date.now() < deadline; i += INFLIGHT) {
      await post(batches[i % batches.length]);
      sent++;
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, (_, i) => lane(i)));
  agent.destroy();
  process.send({ requests: sent, failed, bodyBytes: batches[0].length });
}

async function runReceiverSide() {
  const { startReceiver } = await import(dist('receiver.js'));
  const receiver = await startReceiver({ httpPort: 0, grpcPort: 0, maxSpans: MAX_SPANS });
  let peakRss = process.memoryUsage().rss;
  // Throughput is measured from the first accepted batch to the last, beside the receiver's own CPU time over that span.
  let firstAt;
  let lastAt;
  let cpuAtFirst;
  let cpuAtLast;
  receiver.store.onSpans(() => {
    lastAt = performance.now();
    cpuAtLast = process.cpuUsage();
    if (firstAt === undefined) {
      firstAt = lastAt;
      cpuAtFirst = cpuAtLast;
    }
  });
  let rssAtCap;
  const sampler = setInterval(() => {
    const { rss } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    if (rssAtCap === undefined && receiver.store.droppedCount > 0) rssAtCap = rss;
  }, 50);
  const sender = fork(new URL(import.meta.url).pathname, ['--sender', receiver.httpEndpoint, ...process.argv.slice(2)]);
  const report = await new Promise((resolve, reject) => {
    sender.once('message', resolve);
    sender.once('exit', (code) => code !== 0 && reject(new Error(`the sender exited with ${code}`)));
  });
  const seconds = (lastAt - firstAt) / 1000;
  const cpuSeconds = (cpuAtLast.user + cpuAtLast.system - cpuAtFirst.user - cpuAtFirst.system) / 1e6;
  clearInterval(sampler);
  const store = receiver.store;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  console.log(`receiver bench: ${SECONDS} s, batches of ${BATCH} spans (${report.bodyBytes} bytes), ${INFLIGHT} in flight`);
  console.log(`  requests      ${report.requests} (${report.failed} failed)`);
  console.log(`  spans         ${store.receivedCount} accepted, ${store.spanCount} kept (cap ${MAX_SPANS}), ${store.droppedCount} dropped`);
  const perSecond = (n) => Math.round(n).toLocaleString('en-US');
  console.log(`  throughput    ${perSecond(store.receivedCount / seconds)} spans/s wall clock (target 200,000)`);
  console.log(`  receiver CPU  ${cpuSeconds.toFixed(2)} s over ${seconds.toFixed(2)} s: ${perSecond(store.receivedCount / cpuSeconds)} spans per CPU-second`);
  const end = process.memoryUsage();
  console.log(`  receiver RSS  peak ${mb(peakRss)}, when the cap was first reached ${rssAtCap === undefined ? 'n/a' : mb(rssAtCap)}, at the end ${mb(end.rss)}`);
  console.log(`  at the end    JS heap ${mb(end.heapUsed)} used of ${mb(end.heapTotal)}, outside it (Buffers) ${mb(end.external)}`);
  await receiver.close();
  await hugeAttributes();
}

/**
 * Spans with 4 MB attribute values (the byte bound, issue 15 item 15): 51 of them posted in 17 requests of 12 MB to a
 * fresh receiver; prints what the store says it retains (values are cut on arrival) and the JS heap after.
 */
async function hugeAttributes() {
  const { startReceiver } = await import(dist('receiver.js'));
  const { ExportTraceServiceRequestType } = await import(dist('otlp-schema.js'));
  const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  const huge = 'x'.repeat(4 * 1024 * 1024);
  const spans = [1, 2, 3].map((n) => ({
    traceId: randomBytes(16),
    spanId: Buffer.from(n.toString(16).padStart(16, '0'), 'hex'),
    name: 'SELECT big',
    kind: 3,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000002500000',
    attributes: [{ key: 'db.query.text', value: { stringValue: huge } }],
  }));
  const body = Buffer.from(
    ExportTraceServiceRequestType.encode(
      ExportTraceServiceRequestType.fromObject({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] }),
    ).finish(),
  );
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 17; i++) {
    const response = await fetch(`${receiver.httpEndpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    await response.arrayBuffer();
  }
  const report = receiver.store.limitsReport();
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`huge values:  ${receiver.store.receivedCount} spans with a 4 MB attribute (${mb(receiver.store.receivedCount * huge.length)} of text)`);
  console.log(`  kept ${receiver.store.spanCount}, ${report.truncatedValues} value(s) cut; retained estimate ${mb(report.retainedBytes)} (bound ${mb(report.maxBytes)}); JS heap ${mb(process.memoryUsage().heapUsed - before)} more than before`);
  await receiver.close();
}
