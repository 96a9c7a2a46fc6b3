/**
 * Each check fails (or warns) for the reason it exists: the shop instrumented by the real recipes (passing, see
 * shop.test.ts) with one hand-made mistake per case, the kind a developer makes when instrumenting by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../../src/verify/check.js';
import { exporterEndpointMatchesProtocol } from '../../../src/verify/checks/static/exporter-endpoint-matches-protocol.js';
import { pitfallErrorsNotRecorded } from '../../../src/verify/checks/static/pitfall-errors-not-recorded.js';
import { pitfallHighCardinality } from '../../../src/verify/checks/static/pitfall-high-cardinality.js';
import { pitfallOverInstrumentation } from '../../../src/verify/checks/static/pitfall-over-instrumentation.js';
import { pitfallSamplerIgnoresParent } from '../../../src/verify/checks/static/pitfall-sampler-ignores-parent.js';
import { pitfallSpanNotEnded } from '../../../src/verify/checks/static/pitfall-span-not-ended.js';
import { pitfallWrongSpanKind } from '../../../src/verify/checks/static/pitfall-wrong-span-kind.js';
import { propagatorsConfigured } from '../../../src/verify/checks/static/propagators-configured.js';
import { sdkStartsBeforeApp } from '../../../src/verify/checks/static/sdk-starts-before-app.js';
import { spansFlushedOnShutdown } from '../../../src/verify/checks/static/spans-flushed-on-shutdown.js';
import type { CheckResult } from '../../../src/types/check-result.js';
import { instrumentedShop, removeDir, runCheck, show, variant } from './helpers.js';

const INPUTS = { backend: 'local', 'tail-sampling': 'none', 'sampling-percent': 25 };
let base: string;
const made: string[] = [];

beforeAll(async () => {
  base = await instrumentedShop(INPUTS);
});
afterAll(async () => {
  for (const r of [base, ...made]) await removeDir(r);
});

async function broken(
  check: Check,
  edits: Parameters<typeof variant>[1],
  inputs: Record<string, string | number> = INPUTS,
): Promise<CheckResult> {
  const root = await variant(base, edits);
  made.push(root);
  return runCheck(check, root, inputs);
}

function expectFailure(r: CheckResult, status: 'fail' | 'warn', about: RegExp, file?: string): void {
  expect(r.status, show(r)).toBe(status);
  expect(r.summary, show(r)).toMatch(about);
  if (file)
    expect(
      r.evidence.some((e) => 'file' in e && e.file === file),
      show(r),
    ).toBe(true);
  expect(r.fix, show(r)).toBeTruthy();
}

const replace = (from: string | RegExp, to: string) => (old: string) => old.replace(from, to);

describe('Node (gateway)', () => {
  it('sdk-starts-before-app fails when server.js requires express before the SDK setup', async () => {
    const r = await broken(sdkStartsBeforeApp, {
      'gateway/package.json': replace('node --require ./tracing.cjs server.js', 'node server.js'),
      'gateway/server.js': replace(
        "const express = require('express');",
        "const express = require('express');\nrequire('./tracing.cjs');",
      ),
    });
    expectFailure(r, 'fail', /gateway: .*loads express before the SDK setup/, 'gateway/server.js');
  });

  it('sdk-starts-before-app passes when the entry requires the setup first (no --require)', async () => {
    const root = await variant(base, {
      'gateway/package.json': replace('node --require ./tracing.cjs server.js', 'node server.js'),
      'gateway/server.js': replace("'use strict';", "'use strict';\nrequire('./tracing.cjs');"),
    });
    made.push(root);
    const r = await runCheck(sdkStartsBeforeApp, root, INPUTS);
    expect(r.status, show(r)).toBe('pass');
  });

  it('sdk-starts-before-app fails for an ES module that imports its setup instead of --import', async () => {
    const r = await broken(sdkStartsBeforeApp, {
      'gateway/package.json': (old) =>
        old
          .replace('node --require ./tracing.cjs server.mjs', 'node server.mjs')
          .replace('node --require ./tracing.cjs server.js', 'node server.mjs')
          .replace('"private": true,', '"private": true,\n  "type": "module",'),
      'gateway/tracing.mjs':
        "import { NodeSDK } from '@opentelemetry/sdk-node';\nconst sdk = new NodeSDK({});\nsdk.start();\n",
      'gateway/server.mjs':
        "import './tracing.mjs';\nimport express from 'express';\nconst app = express();\napp.listen(3000);\n",
    });
    expectFailure(r, 'fail', /static imports load before any code runs/);
    expect(r.fix).toMatch(/--import/);
  });

  it('spans-flushed-on-shutdown fails when nothing calls sdk.shutdown() on SIGTERM', async () => {
    const r = await broken(spansFlushedOnShutdown, {
      'gateway/tracing.cjs': replace(/process\.on\('SIGTERM'[^\n]*\n/, ''),
    });
    expectFailure(r, 'fail', /gateway: sdk\.shutdown\(\) exists but nothing calls it on SIGTERM/);
  });

  it('exporter-endpoint-matches-protocol fails for http/protobuf sent to 4317', async () => {
    const r = await broken(exporterEndpointMatchesProtocol, {
      'gateway/tracing.cjs': replace("'http://localhost:4318'", "'http://localhost:4317'"),
    });
    expectFailure(
      r,
      'fail',
      /gateway: OTEL_EXPORTER_OTLP_ENDPOINT points at port 4317 but the exporter speaks HTTP/,
      'gateway/tracing.cjs',
    );
  });

  it('exporter-endpoint-matches-protocol fails for /v1/traces on the base endpoint variable', async () => {
    const r = await broken(exporterEndpointMatchesProtocol, {
      'gateway/tracing.cjs': replace("'http://localhost:4318'", "'http://localhost:4318/v1/traces'"),
    });
    expectFailure(r, 'fail', /ends in \/v1\/traces/);
  });

  it('exporter-endpoint-matches-protocol fails for a signal-specific endpoint without its path', async () => {
    const r = await broken(exporterEndpointMatchesProtocol, {
      'gateway/tracing.cjs': replace(
        'process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??=',
        'process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??=',
      ),
    });
    expectFailure(r, 'fail', /lacks the \/v1\/traces path/);
  });

  it('propagators-configured fails when OTEL_PROPAGATORS leaves out tracecontext', async () => {
    const r = await broken(propagatorsConfigured, { 'gateway/tracing.cjs': replace("'tracecontext,baggage'", "'b3'") });
    expectFailure(r, 'fail', /gateway: OTEL_PROPAGATORS=b3 leaves out tracecontext/);
  });

  it('propagators-configured passes on the SDK default and says so', async () => {
    const root = await variant(base, { 'gateway/tracing.cjs': replace(/process\.env\.OTEL_PROPAGATORS[^\n]*\n/, '') });
    made.push(root);
    const r = await runCheck(propagatorsConfigured, root, INPUTS);
    expect(r.status, show(r)).toBe('pass');
    expect(r.summary).toMatch(/gateway: no OTEL_PROPAGATORS set, so the SDK default tracecontext,baggage applies/);
  });

  // A hand-made BasicTracerProvider: nothing sets the global propagator, whose API default is a no-op.
  const HAND_MADE = `'use strict';
const api = require('@opentelemetry/api');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const provider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
api.trace.setGlobalTracerProvider(provider);
`;

  it('propagators-configured fails for a BasicTracerProvider that registers no propagator (the SDK default never applies)', async () => {
    const r = await broken(propagatorsConfigured, { 'gateway/tracing.cjs': HAND_MADE });
    expectFailure(
      r,
      'fail',
      /gateway: BasicTracerProvider is created but no propagator is registered .*OTEL_PROPAGATORS and the SDK default tracecontext,baggage never apply/,
      'gateway/tracing.cjs',
    );
    expect(r.evidence).toContainEqual(
      expect.objectContaining({
        file: 'gateway/tracing.cjs',
        line: 5,
        text: 'const provider = new BasicTracerProvider({',
      }),
    );
  });

  it('propagators-configured passes the same provider once a W3C propagator is registered, or NodeTracerProvider.register() is called', async () => {
    const set = await variant(base, {
      'gateway/tracing.cjs': `${HAND_MADE}api.propagation.setGlobalPropagator(new (require('@opentelemetry/core').W3CTraceContextPropagator)());\n`,
    });
    const registered = await variant(base, {
      'gateway/tracing.cjs': HAND_MADE.replace(/BasicTracerProvider/g, 'NodeTracerProvider')
        .replace('sdk-trace-base', 'sdk-trace-node')
        .replace('api.trace.setGlobalTracerProvider(provider);', 'provider.register();'),
    });
    made.push(set, registered);
    const r1 = await runCheck(propagatorsConfigured, set, INPUTS);
    expect(r1.status, show(r1)).toBe('pass');
    expect(r1.summary).toMatch(/gateway: the propagator set in code includes W3C Trace Context/);
    const r2 = await runCheck(propagatorsConfigured, registered, INPUTS);
    expect(r2.status, show(r2)).toBe('pass');
  });

  it('pitfall-sampler-ignores-parent fails for traceidratio without parentbased', async () => {
    const r = await broken(pitfallSamplerIgnoresParent, {
      'gateway/tracing.cjs': replace("'parentbased_traceidratio'", "'traceidratio'"),
    });
    expectFailure(r, 'fail', /gateway: OTEL_TRACES_SAMPLER=traceidratio ignores the parent's decision/);
  });

  it('pitfall-sampler-ignores-parent warns when the ratio is not the one the sampling step asked for', async () => {
    const r = await broken(pitfallSamplerIgnoresParent, { 'gateway/tracing.cjs': replace("'0.25'", "'0.5'") });
    expectFailure(r, 'warn', /gateway: parent-based, but keeps 50% of new traces where the sampling step asks for 25%/);
  });

  const handSpans = (body: string) => ({
    'gateway/server.js': replace(
      "app.get('/health',",
      `const { trace, SpanKind, SpanStatusCode } = require('@opentelemetry/api');\nconst tracer = trace.getTracer('gateway');\n${body}\napp.get('/health',`,
    ),
  });

  it('pitfall-span-not-ended fails for a startSpan never ended', async () => {
    const r = await broken(
      pitfallSpanNotEnded,
      handSpans("async function price(sku) {\n  const span = tracer.startSpan('price');\n  return lookup(sku);\n}\n"),
    );
    expectFailure(r, 'fail', /gateway\/server\.js: span "price" is never ended/, 'gateway/server.js');
  });

  it('pitfall-span-not-ended warns for a startActiveSpan callback that ends the span without finally', async () => {
    const r = await broken(
      pitfallSpanNotEnded,
      handSpans(
        "function price(sku) {\n  return tracer.startActiveSpan('price', (span) => {\n    const p = lookup(sku);\n    span.end();\n    return p;\n  });\n}\n",
      ),
    );
    expectFailure(r, 'warn', /span "price" is ended outside a finally block/);
  });

  it('pitfall-errors-not-recorded fails for a catch inside a span that only logs', async () => {
    const r = await broken(
      pitfallErrorsNotRecorded,
      handSpans(
        "function price(sku) {\n  return tracer.startActiveSpan('price', async (span) => {\n    try {\n      return await lookup(sku);\n    } catch (err) {\n      console.error('price lookup failed', err);\n      return null;\n    } finally {\n      span.end();\n    }\n  });\n}\n",
      ),
    );
    expectFailure(r, 'fail', /an error handled inside span "price" is not recorded/, 'gateway/server.js');
  });

  it('pitfall-high-cardinality fails for a span named after the request URL and an email attribute', async () => {
    const r = await broken(
      pitfallHighCardinality,
      handSpans(
        "app.use((req, res, next) => tracer.startActiveSpan(`GET ${req.originalUrl}`, (span) => {\n  span.setAttribute('user.email', req.query.email);\n  try { next(); } finally { span.end(); }\n}));\n",
      ),
    );
    expectFailure(r, 'fail', /span name `GET \$\{req\.originalUrl\}` is built from request data/);
    expect(r.summary).toMatch(/attribute user\.email records personal or secret data/);
  });

  it('pitfall-wrong-span-kind fails for a manual SERVER span inside an instrumented Express app', async () => {
    const r = await broken(
      pitfallWrongSpanKind,
      handSpans(
        "function quote(sku) {\n  return tracer.startActiveSpan('quote', { kind: SpanKind.SERVER }, (span) => {\n    try { return sku; } finally { span.end(); }\n  });\n}\n",
      ),
    );
    expectFailure(r, 'fail', /span "quote" is SERVER, but the framework instrumentation already creates/);
  });

  it('pitfall-over-instrumentation warns for a span per loop iteration and in a getter', async () => {
    const r = await broken(
      pitfallOverInstrumentation,
      handSpans(
        "function getName(o) {\n  return tracer.startActiveSpan('getName', (span) => { try { return o.name; } finally { span.end(); } });\n}\nfunction all(items) {\n  for (const item of items) {\n    tracer.startActiveSpan('item', (span) => { try { return item; } finally { span.end(); } });\n  }\n}\n",
      ),
    );
    expectFailure(r, 'warn', /a span is started inside a loop/);
    expect(r.summary).toMatch(/small helper getName\(\)/);
  });
});

describe('Go (inventory)', () => {
  it('pitfall-span-not-ended fails when tracer.Start has no defer span.End()', async () => {
    const r = await broken(pitfallSpanNotEnded, { 'inventory/main.go': replace('\t\tdefer span.End()\n', '') });
    expectFailure(
      r,
      'fail',
      /inventory\/main\.go: span "reserve" is started with tracer\.Start but never ended/,
      'inventory/main.go',
    );
  });

  it('propagators-configured fails without otel.SetTextMapPropagator (Go propagates nothing by default)', async () => {
    const r = await broken(propagatorsConfigured, {
      'inventory/tracing.go': (old) =>
        old
          .replace(/\totel\.SetTextMapPropagator\([^\n]*\n/, '')
          .replace('\t"go.opentelemetry.io/otel/propagation"\n', ''),
    });
    expectFailure(r, 'fail', /Go never calls otel\.SetTextMapPropagator, and its default propagator is a no-op/);
  });

  it('pitfall-sampler-ignores-parent fails for TraceIDRatioBased without ParentBased', async () => {
    const r = await broken(pitfallSamplerIgnoresParent, {
      'inventory/tracing.go': replace(
        'sdktrace.ParentBased(sdktrace.TraceIDRatioBased(otelDefaultSamplingRatio))',
        'sdktrace.TraceIDRatioBased(otelDefaultSamplingRatio)',
      ),
    });
    expectFailure(r, 'fail', /TraceIDRatioBased ignores the parent's decision/, 'inventory/tracing.go');
    expect(r.fix).toMatch(/ParentBased/);
  });

  it('sdk-starts-before-app fails when main builds the router before setting the provider', async () => {
    const r = await broken(sdkStartsBeforeApp, {
      'inventory/main.go': (old) =>
        old
          .replace(
            '\tshutdownTracing := setupTracing(context.Background())\n\tdefer shutdownTracing(context.Background())\n',
            '',
          )
          .replace(
            '\tr := gin.New()\n',
            '\tr := gin.New()\n\tshutdownTracing := setupTracing(context.Background())\n\tdefer shutdownTracing(context.Background())\n',
          ),
    });
    expectFailure(r, 'fail', /main builds the router before it sets the tracer provider/);
  });

  it('spans-flushed-on-shutdown fails when main does not defer the shutdown', async () => {
    const r = await broken(spansFlushedOnShutdown, {
      'inventory/main.go': replace('\tdefer shutdownTracing(context.Background())\n', '\t_ = shutdownTracing\n'),
    });
    expectFailure(r, 'fail', /main never defers the tracer provider's Shutdown/);
  });

  it('pitfall-errors-not-recorded fails for `if err != nil` inside a span that returns without recording', async () => {
    const r = await broken(pitfallErrorsNotRecorded, {
      'inventory/main.go': (old) =>
        old
          .replace('\t\t\tspan.RecordError(err)\n\t\t\tspan.SetStatus(codes.Error, err.Error())\n', '')
          .replace('\t"go.opentelemetry.io/otel/codes"\n', ''),
    });
    expectFailure(r, 'fail', /inventory\/main\.go: an error handled inside span "reserve" is not recorded/);
  });
});

describe('Python (orders)', () => {
  it('pitfall-span-not-ended fails for start_span without end()', async () => {
    const r = await broken(pitfallSpanNotEnded, {
      'orders/app.py': replace(
        '@app.get("/health")',
        'def audit(order_id):\n    span = tracer.start_span("audit")\n    span.set_attribute("app.order.id", order_id)\n\n\n@app.get("/health")',
      ),
    });
    expectFailure(r, 'fail', /orders\/app\.py: span "audit" is never ended/);
  });

  it('pitfall-errors-not-recorded fails for an except inside a span that logs and returns', async () => {
    const r = await broken(pitfallErrorsNotRecorded, {
      'orders/app.py': replace(
        '            span.record_exception(exc)\n            span.set_status(StatusCode.ERROR, str(exc))\n',
        '',
      ),
    });
    expectFailure(
      r,
      'fail',
      /orders\/app\.py: an error handled inside span "create_order" is not recorded/,
      'orders/app.py',
    );
  });

  it('sdk-starts-before-app fails when FlaskInstrumentor().instrument() runs after the app is created', async () => {
    const r = await broken(sdkStartsBeforeApp, {
      'orders/app.py': replace(
        'instrument_flask(app)',
        'from opentelemetry.instrumentation.flask import FlaskInstrumentor  # noqa: E402\nFlaskInstrumentor().instrument()',
      ),
      'orders/otel_setup.py': replace('FlaskInstrumentor().instrument_app(app)', 'pass'),
    });
    expectFailure(r, 'fail', /orders: orders\/app\.py creates the app before the framework instrumentor patches it/);
  });

  it('sdk-starts-before-app fails for gunicorn --preload without a post_fork hook, passes under opentelemetry-instrument', async () => {
    const preload = await broken(sdkStartsBeforeApp, { 'orders/Procfile': 'web: gunicorn --preload -w 2 app:app\n' });
    expectFailure(preload, 'fail', /gunicorn preloads the app/);
    const root = await variant(base, { 'orders/Procfile': 'web: opentelemetry-instrument python app.py\n' });
    made.push(root);
    const agent = await runCheck(sdkStartsBeforeApp, root, INPUTS);
    expect(agent.status, show(agent)).toBe('pass');
    expect(agent.summary).toMatch(/orders: runs under opentelemetry-instrument/);
  });

  it('exporter-endpoint-matches-protocol fails for grpc with only the HTTP exporter installed', async () => {
    const r = await broken(exporterEndpointMatchesProtocol, {
      'orders/otel_setup.py': (old) =>
        old.replace('"http/protobuf"', '"grpc"').replace('"http://localhost:4318"', '"http://localhost:4317"'),
    });
    expectFailure(r, 'fail', /orders: the protocol is gRPC but only the HTTP OTLP exporter is installed/);
  });

  it('pitfall-sampler-ignores-parent fails for OTEL_TRACES_SAMPLER=traceidratio', async () => {
    const r = await broken(pitfallSamplerIgnoresParent, {
      'orders/otel_setup.py': replace('"parentbased_traceidratio"', '"traceidratio"'),
    });
    expectFailure(
      r,
      'fail',
      /orders: OTEL_TRACES_SAMPLER=traceidratio ignores the parent's decision/,
      'orders/otel_setup.py',
    );
  });

  it('spans-flushed-on-shutdown fails for shutdown_on_exit=False without atexit', async () => {
    const r = await broken(spansFlushedOnShutdown, {
      'orders/otel_setup.py': (old) =>
        old
          .replace(
            'TracerProvider(resource=defaults.merge(Resource.create()))',
            'TracerProvider(resource=defaults.merge(Resource.create()), shutdown_on_exit=False)',
          )
          .replace('    atexit.register(_provider.shutdown)\n', ''),
    });
    expectFailure(r, 'fail', /orders: TracerProvider\(shutdown_on_exit=False\)/);
  });
});
