/**
 * What the runtime run reads from source before starting services: GET routes per framework (with README samples for
 * parameters and /fail marked), the port and *_URL variables with their defaults, and the binomial interval used by
 * sampling-reduces-volume.
 */
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/types/scan.js';
import { detectGetRoutes } from '../../../src/verify/runtime/route-detection.js';
import {
  findEnvReads,
  portVariable,
  targetOfUrlVariable,
  urlVariables,
  wiredValue,
} from '../../../src/verify/runtime/env-wiring.js';
import { binomialInterval } from '../../../src/verify/runtime/binomial.js';

function service(language: Service['language']): Service {
  return {
    id: 's',
    name: 's',
    root: 's',
    language,
    manifest: 'x',
    frameworks: [],
    httpClients: [],
    queueClients: [],
    dbClients: [],
    logging: [],
    tracing: [],
  };
}

describe('route detection', () => {
  it('finds Express GET routes, fills a parameter from a README sample, marks /fail and skips what it cannot fill', () => {
    const src = `app.get('/health', h);\napp.get('/checkout/:sku', h);\napp.get('/users/:id', h);\napp.post('/orders', h);\napp.get('/fail', h);`;
    const routes = detectGetRoutes(
      service('node'),
      [{ rel: 's/server.js', text: src }],
      ['curl http://127.0.0.1:3000/checkout/widget'],
    );
    expect(routes.map((r) => [r.path, r.expectError, r.line])).toEqual([
      ['/health', false, 1],
      ['/checkout/widget', false, 2],
      ['/fail', true, 5],
    ]);
  });

  it('finds Flask and FastAPI GET routes but not POST-only ones', () => {
    const src = `@app.get("/health")\ndef h(): pass\n@app.route("/items")\ndef i(): pass\n@app.route("/buy", methods=["POST"])\ndef b(): pass\n@router.get("/orders/fail")\ndef f(): pass`;
    expect(detectGetRoutes(service('python'), [{ rel: 's/app.py', text: src }], []).map((r) => r.path)).toEqual([
      '/health',
      '/orders/fail',
      '/items',
    ]);
  });

  it('finds Gin and net/http GET routes', () => {
    const src = `r.GET("/health", h)\nr.POST("/reserve", h)\nmux.HandleFunc("GET /stock", h)\nhttp.HandleFunc("/ping", h)`;
    expect(detectGetRoutes(service('go'), [{ rel: 's/main.go', text: src }], []).map((r) => r.path)).toEqual([
      '/health',
      '/stock',
      '/ping',
    ]);
  });
});

describe('environment wiring', () => {
  const node = `const PORT = Number(process.env.PORT || 3000);\nconst ORDERS_URL = (process.env.ORDERS_URL || 'http://127.0.0.1:5001').replace(/x/, '');\nconst key = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;`;
  const go = `port := os.Getenv("PORT")\nif port == "" {\n\tport = "8081"\n}`;
  const py = `INVENTORY_URL = os.environ.get("INVENTORY_URL", "http://127.0.0.1:8081").rstrip("/")`;

  it('reads the port variable and the URL variables with their defaults (Node, Go, Python)', () => {
    const reads = findEnvReads([{ rel: 'g/server.js', text: node }]);
    expect(portVariable(reads)).toMatchObject({ name: 'PORT', defaultValue: '3000' });
    expect(urlVariables(reads).map((r) => [r.name, r.defaultValue])).toEqual([['ORDERS_URL', 'http://127.0.0.1:5001']]);
    expect(portVariable(findEnvReads([{ rel: 'i/main.go', text: go }]))).toMatchObject({
      name: 'PORT',
      defaultValue: '8081',
    });
    expect(urlVariables(findEnvReads([{ rel: 'o/app.py', text: py }]))[0]).toMatchObject({
      name: 'INVENTORY_URL',
      defaultValue: 'http://127.0.0.1:8081',
    });
  });

  it('points a URL variable at the started service by name, or by its default port, only when the default is wrong', () => {
    const [orders] = urlVariables(findEnvReads([{ rel: 'g/server.js', text: node }]));
    const targets = [{ id: 'orders', names: ['orders'], scannedPort: 5001, port: 5001 }];
    expect(targetOfUrlVariable(orders!, targets)?.id).toBe('orders');
    expect(wiredValue(orders!, targets[0]!)).toBeUndefined();
    expect(wiredValue(orders!, { ...targets[0]!, port: 40123 })).toBe('http://127.0.0.1:40123');
    const byPort = { ...orders!, name: 'BILLING_URL' };
    expect(targetOfUrlVariable(byPort, [{ id: 'x', names: ['payments'], scannedPort: 5001, port: 41000 }])?.id).toBe(
      'x',
    );
  });
});

describe('binomial interval', () => {
  it('gives the 99% central interval, exact at the edges', () => {
    expect(binomialInterval(200, 1)).toEqual({ low: 200, high: 200 });
    expect(binomialInterval(200, 0)).toEqual({ low: 0, high: 0 });
    const { low, high } = binomialInterval(200, 0.25);
    expect(low).toBeGreaterThanOrEqual(33);
    expect(low).toBeLessThanOrEqual(36);
    expect(high).toBeGreaterThanOrEqual(64);
    expect(high).toBeLessThanOrEqual(67);
  });
});
