/**
 * Issue 14 item 1: step 3 was "proven" on an Express app with no business span, because the express instrumentation's
 * own INTERNAL middleware spans were counted as custom spans. Custom spans are spans of the application's tracer.
 */
import { describe, expect, it } from 'vitest';
import { customSpansHaveCorrectParents } from '../../src/verify/checks/runtime/custom-spans-have-correct-parents.js';
import { isApplicationScope, instrumentationFamilyOf } from '../../src/verify/scopes/instrumentation-scopes.js';
import { tracerNamesIn } from '../../src/verify/scopes/app-tracer-names.js';
import { fakeContext, fakeRun, PROBE_PARENT, span } from './fake-run.js';

function expressRequest() {
  const server = span({
    name: 'GET /items',
    kind: 'server',
    parentSpanId: PROBE_PARENT,
    scope: { name: '@opentelemetry/instrumentation-http', version: '0.300.0' },
  });
  const middleware = ['query', 'expressInit', 'jsonParser', 'request handler - /items'].map((name) =>
    span({
      name: `middleware - ${name}`,
      kind: 'internal',
      parentSpanId: server.spanId,
      scope: { name: '@opentelemetry/instrumentation-express', version: '0.55.0' },
    }),
  );
  return { server, middleware };
}

describe('custom-spans-have-correct-parents counts only the application tracer', () => {
  it('instrumentation middleware spans alone are not custom spans: nothing to check, not a pass', async () => {
    const { server, middleware } = expressRequest();
    const r = await customSpansHaveCorrectParents.run(fakeContext(fakeRun([server, ...middleware])));
    expect(r.status, r.summary).toBe('nothing-to-check');
    expect(r.summary).toMatch(/@opentelemetry\/instrumentation-express/);
  });

  it('a Flask or otelgin request span is not a custom span either', async () => {
    const flask = span({
      name: 'GET /items',
      kind: 'server',
      parentSpanId: PROBE_PARENT,
      scope: { name: 'opentelemetry.instrumentation.flask' },
    });
    const gin = span({
      name: 'render',
      kind: 'internal',
      parentSpanId: flask.spanId,
      scope: { name: 'go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin' },
    });
    const r = await customSpansHaveCorrectParents.run(fakeContext(fakeRun([flask, gin])));
    expect(r.status).toBe('nothing-to-check');
  });

  it('a span of the application tracer nested under the request passes', async () => {
    const { server, middleware } = expressRequest();
    const business = span({
      name: 'load items',
      kind: 'internal',
      parentSpanId: middleware[3]!.spanId,
      scope: { name: 'shop' },
    });
    const r = await customSpansHaveCorrectParents.run(fakeContext(fakeRun([server, ...middleware, business])));
    expect(r.status, r.summary).toBe('pass');
    expect(r.summary).toMatch(/^1 span/);
  });

  it('an application span that starts its own trace during a request fails', async () => {
    const { server, middleware } = expressRequest();
    const detached = span({
      name: 'load items',
      kind: 'internal',
      traceId: 'ffffffffffffffffffffffffffffffff',
      scope: { name: 'shop' },
    });
    delete (detached as { parentSpanId?: string }).parentSpanId;
    const r = await customSpansHaveCorrectParents.run(fakeContext(fakeRun([server, ...middleware, detached])));
    expect(r.status).toBe('fail');
  });
});

describe('instrumentation scopes are data', () => {
  it.each([
    '@opentelemetry/instrumentation-express',
    '@opentelemetry/instrumentation-http',
    'opentelemetry.instrumentation.flask',
    'opentelemetry.instrumentation.requests',
    'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp',
    'io.opentelemetry.spring-webmvc-6.0',
  ])('%s is an instrumentation library', (scope) => {
    expect(instrumentationFamilyOf(scope)).toBeDefined();
    expect(isApplicationScope(scope)).toBe(false);
  });

  it.each(['shop', 'orders.app', 'example.com/shop/inventory'])('%s is the application', (scope) => {
    expect(isApplicationScope(scope)).toBe(true);
  });

  it('a scope named in the code counts even if it looks like a library; an empty scope cannot be attributed', () => {
    expect(
      isApplicationScope('opentelemetry.instrumentation.mine', new Set(['opentelemetry.instrumentation.mine'])),
    ).toBe(true);
    expect(isApplicationScope('')).toBe(false);
  });

  it('reads tracer names from Node, Python and Go code', () => {
    expect(
      tracerNamesIn(
        `const t = trace.getTracer('shop');\ntracer = trace.get_tracer("orders")\nvar tracer = otel.Tracer("example.com/inv")`,
      ),
    ).toEqual(['shop', 'orders', 'example.com/inv']);
  });
});
