/**
 * Issue 14 item 6: step 4 could never be proven on a one-service app because pitfall-wrong-span-kind only read manual
 * spans from the code. Its runtime half judges the kinds of the spans that arrived; spans of the wrong kind are not a pass.
 */
import { describe, expect, it } from 'vitest';
import { pitfallWrongSpanKindAtRuntime } from '../../src/verify/checks/runtime/pitfall-wrong-span-kind.js';
import { ALL_CHECKS } from '../../src/verify/registry.js';
import { fakeContext, fakeRun, PROBE_PARENT, span } from './fake-run.js';

const serverAttrs = {
  'http.request.method': 'GET',
  'url.path': '/items',
  'url.scheme': 'http',
  'http.route': '/items',
  'http.response.status_code': 200,
};
const request = () => span({ name: 'GET /items', kind: 'server', parentSpanId: PROBE_PARENT, attributes: serverAttrs });
const run = (...spans: ReturnType<typeof span>[]) => pitfallWrongSpanKindAtRuntime.run(fakeContext(fakeRun(spans)));

describe('spans of the wrong kind at runtime are not a pass', () => {
  it('an INTERNAL span with the attributes of an outgoing HTTP call fails with the span', async () => {
    const server = request();
    const call = span({
      name: 'fetch rates',
      kind: 'internal',
      parentSpanId: server.spanId,
      scope: { name: 'shop' },
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'https://rates.example/eur',
        'server.address': 'rates.example',
      },
    });
    const r = await run(server, call);
    expect(r.status).toBe('fail');
    expect(
      r.evidence.some((e) => 'note' in e && e.note.includes(call.spanId) && /outgoing call: CLIENT/.test(e.note)),
    ).toBe(true);
  });

  it('an INTERNAL span of a database query fails', async () => {
    const server = request();
    const query = span({
      name: 'SELECT items',
      kind: 'internal',
      parentSpanId: server.spanId,
      attributes: { 'db.system.name': 'sqlite', 'db.query.text': 'SELECT * FROM items' },
    });
    const r = await run(server, query);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/1 of 2 span/);
  });

  it('a SERVER span nested in a SERVER span of the same service (double instrumentation) fails', async () => {
    const outer = request();
    const inner = span({
      name: 'GET /items',
      kind: 'server',
      parentSpanId: outer.spanId,
      scope: { name: 'opentelemetry.instrumentation.flask' },
      attributes: serverAttrs,
    });
    const r = await run(outer, inner);
    expect(r.status).toBe('fail');
    expect(
      r.evidence.some((e) => 'note' in e && e.note.includes(inner.spanId) && /instrumented twice/.test(e.note)),
    ).toBe(true);
  });

  it('a manual SERVER span under an INTERNAL span inside a request fails', async () => {
    const outer = request();
    const mid = span({ name: 'middleware', kind: 'internal', parentSpanId: outer.spanId });
    const inner = span({ name: 'handle', kind: 'server', parentSpanId: mid.spanId, scope: { name: 'shop' } });
    expect((await run(outer, mid, inner)).status).toBe('fail');
  });

  it('the span that handles the request arriving as INTERNAL fails', async () => {
    const r = await run(
      span({
        name: 'GET /items',
        kind: 'internal',
        parentSpanId: PROBE_PARENT,
        attributes: { 'http.method': 'GET', 'http.target': '/items', 'net.host.name': '127.0.0.1' },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/wrong kind/);
  });

  it('a message publish recorded as CLIENT-less INTERNAL fails', async () => {
    const server = request();
    const send = span({
      name: 'orders publish',
      kind: 'internal',
      parentSpanId: server.spanId,
      attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send' },
    });
    expect((await run(server, send)).status).toBe('fail');
  });

  it('no spans arrived: skipped, never a pass', async () => {
    expect((await run()).status).toBe('skipped');
  });

  it('the combined item (static half with nothing to check + runtime fail) does not pass', async () => {
    const check = ALL_CHECKS.find((c) => c.itemId === 'pitfall-wrong-span-kind')!;
    const outer = request();
    const inner = span({ name: 'GET /items', kind: 'server', parentSpanId: outer.spanId });
    const r = await check.run({ ...fakeContext(fakeRun([outer, inner])), services: [] });
    expect(r.status).toBe('fail');
  });
});

describe('right kinds pass over what was checked', () => {
  it('a SERVER request span, a CLIENT call under it, INTERNAL middleware and a service calling itself pass with the count', async () => {
    const server = request();
    const middleware = span({
      name: 'middleware - query',
      kind: 'internal',
      parentSpanId: server.spanId,
      scope: { name: '@opentelemetry/instrumentation-express' },
      attributes: { 'http.route': '/items', 'express.type': 'middleware' },
    });
    const call = span({
      name: 'GET',
      kind: 'client',
      parentSpanId: server.spanId,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://127.0.0.1:3000/health',
        'server.address': '127.0.0.1',
      },
    });
    const self = span({
      name: 'GET /health',
      kind: 'server',
      parentSpanId: call.spanId,
      attributes: { ...serverAttrs, 'url.path': '/health', 'http.route': '/health' },
    });
    const r = await run(server, middleware, call, self);
    expect(r.status, r.summary + JSON.stringify(r.evidence)).toBe('pass');
    expect(r.summary).toMatch(/4 span\(s\) of 3 kind\(s\) checked/);
  });

  it("a framework's INTERNAL span that repeats the request's method and route inside its SERVER span passes", async () => {
    const server = request();
    const inner = span({
      name: 'AppController.list',
      kind: 'internal',
      parentSpanId: server.spanId,
      scope: { name: '@opentelemetry/instrumentation-nestjs-core' },
      attributes: { 'http.method': 'GET', 'http.route': '/items', 'nestjs.type': 'request_context' },
    });
    const r = await run(server, inner);
    expect(r.status, JSON.stringify(r.evidence)).toBe('pass');
  });
});
