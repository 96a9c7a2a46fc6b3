/**
 * Tiny real Node services for the runtime checks: plain node:http with the OpenTelemetry SDK from this project's
 * devDependencies (BasicTracerProvider, BatchSpanProcessor, the OTLP/HTTP protobuf exporter), SERVER / CLIENT /
 * INTERNAL spans made by hand, and traceparent injected / extracted with @opentelemetry/core's W3CTraceContextPropagator.
 * Each variant breaks one thing on purpose. Nothing here is faked: the spans really travel to the built-in receiver.
 */
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../helpers/cli.js';
import { makeSampleRepo, type SampleFiles } from '../../helpers/sample-repo.js';
import { scanRepo } from '../../../src/repo/scan.js';
import { RepoReader } from '../../../src/repo/repo-reader.js';
import type { CheckContext } from '../../../src/verify/check.js';
import type { InputValue } from '../../../src/session/schema.js';
import { startRuntimeRun, type RuntimeRun, type RuntimeRunOptions } from '../../../src/verify/runtime/runtime-run.js';
import { testSkill } from '../../helpers/recipe-harness.js';

export interface FixtureService {
  dir: string;
  /** service.name on the resource; undefined leaves it out (the SDK then reports unknown_service:…). */
  serviceName?: string;
  port: number;
  /** The service this one calls from GET /hello: env variable name and the default URL written in the code. */
  calls?: { variable: string; defaultUrl: string };
  /** The caller does not inject traceparent into its outgoing call. */
  dropTraceparent?: boolean;
  /** Log lines carry trace_id / span_id (default true). */
  logIds?: boolean;
  /** The request span is INTERNAL instead of SERVER. */
  wrongServerKind?: boolean;
  /** Only deprecated attribute names (http.method, http.status_code). */
  deprecatedAttributes?: boolean;
  /** The business step's span is started on the root context: a new trace. */
  detachedInternalSpan?: boolean;
  /** GET /fail answers 500 without recording the error on a span. */
  failWithoutRecording?: boolean;
  /** Head-sampling ratio of its ParentBased(TraceIdRatioBased) sampler (default 1). */
  ratio?: number;
  /** Exits at start with this message on stderr. */
  crashWith?: string;
}

function serverSource(s: FixtureService): string {
  const logIds = s.logIds ?? true;
  const resource = s.serviceName ? `{ 'service.name': ${JSON.stringify(s.serviceName)} }` : '{}';
  const method = s.deprecatedAttributes ? 'http.method' : 'http.request.method';
  const status = s.deprecatedAttributes ? 'http.status_code' : 'http.response.status_code';
  return `'use strict';
${s.crashWith ? `console.error(${JSON.stringify(s.crashWith)}); process.exit(3);` : ''}
const http = require('node:http');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const PORT = Number(process.env.PORT || ${s.port});
${s.calls ? `const ${s.calls.variable} = process.env.${s.calls.variable} || '${s.calls.defaultUrl}';` : ''}
// Trace ids from a seeded generator: which new traces the ratio sampler keeps is then the same on every run, so the
// sampling test cannot fail by chance. Span ids stay random.
let seed = 0x5eed;
function nextHex8() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, '0');
}
const idGenerator = {
  generateTraceId: () => nextHex8() + nextHex8() + nextHex8() + nextHex8(),
  generateSpanId: () => require('node:crypto').randomBytes(8).toString('hex'),
};
const provider = new BasicTracerProvider({
  idGenerator,
  resource: resourceFromAttributes(${resource}),
  sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(${s.ratio ?? 1}) }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const tracer = provider.getTracer('fixture');
const propagator = new W3CTraceContextPropagator();

function log(ctx, message) {
  const sc = api.trace.getSpanContext(ctx);
  console.log(new Date().toISOString() + ' ' + message${logIds ? " + (sc ? ' trace_id=' + sc.traceId + ' span_id=' + sc.spanId : '')" : ''});
}

const routes = new Map();
const route = { get(path, handler) { routes.set(path, handler); } };

route.get('/hello', async (ctx) => {
  const step = tracer.startSpan('price order', { attributes: { 'app.item': 'widget' } }, ${s.detachedInternalSpan ? 'api.ROOT_CONTEXT' : 'ctx'});
  const stepCtx = api.trace.setSpan(ctx, step);
  log(stepCtx, 'pricing widget');
  ${
    s.calls
      ? `const client = tracer.startSpan('GET', { kind: api.SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': ${s.calls.variable} + '/work' } }, stepCtx);
  const headers = {};
  ${s.dropTraceparent ? '' : 'propagator.inject(api.trace.setSpan(stepCtx, client), headers, api.defaultTextMapSetter);'}
  const res = await fetch(${s.calls.variable} + '/work', { headers });
  await res.text();
  client.setAttribute('http.response.status_code', res.status);
  client.end();`
      : ''
  }
  step.end();
  return 200;
});

route.get('/work', async (ctx) => {
  const step = tracer.startSpan('reserve stock', {}, ctx);
  log(api.trace.setSpan(ctx, step), 'reserving');
  step.end();
  return 200;
});

route.get('/fail', async () => {
  ${s.failWithoutRecording ? 'return 500;' : "throw new Error('payment declined on purpose');"}
});

const server = http.createServer(async (req, res) => {
  const path = (req.url || '/').split('?')[0];
  const parent = propagator.extract(api.ROOT_CONTEXT, req.headers, api.defaultTextMapGetter);
  const span = tracer.startSpan('GET ' + path, { kind: api.SpanKind.${s.wrongServerKind ? 'INTERNAL' : 'SERVER'}, attributes: { '${method}': 'GET', 'url.path': path } }, parent);
  const ctx = api.trace.setSpan(parent, span);
  const handler = routes.get(path);
  let code = 404;
  try {
    code = handler ? await handler(ctx) : 404;
  } catch (error) {
    span.recordException(error);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.message });
    code = 500;
  }
  if (code >= 500 && !${Boolean(s.failWithoutRecording)}) span.setStatus({ code: api.SpanStatusCode.ERROR });
  span.setAttribute('${status}', code);
  log(ctx, 'GET ' + path + ' ' + code);
  span.end();
  res.writeHead(code, { 'content-type': 'text/plain' });
  res.end(String(code));
});

async function shutdown() {
  server.close();
  await provider.shutdown();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
server.listen(PORT, '127.0.0.1', () => console.log('listening on ' + PORT));
`;
}

export async function makeFixtureRepo(services: FixtureService[]): Promise<string> {
  const files: SampleFiles = {};
  for (const s of services) {
    files[`${s.dir}/package.json`] = JSON.stringify(
      { name: s.dir, version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } },
      null,
      2,
    );
    files[`${s.dir}/server.js`] = serverSource(s);
  }
  const root = await makeSampleRepo(files, { prefix: 'tg-runtime-' });
  for (const s of services)
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, s.dir, 'node_modules'), 'dir');
  return root;
}

export interface FixtureContext {
  ctx: CheckContext;
  /** The run, once started by ctx.runtime(). */
  started(): RuntimeRun | undefined;
  close(): Promise<void>;
}

/** A CheckContext over the repo whose runtime() starts one shared run (as the check runner does). */
export async function fixtureContext(
  root: string,
  inputs: Record<string, InputValue> = {},
  options: RuntimeRunOptions = {},
): Promise<FixtureContext> {
  const scan = await scanRepo(root);
  let run: Promise<RuntimeRun> | undefined;
  let resolved: RuntimeRun | undefined;
  const ctx: CheckContext = {
    root,
    skill: await testSkill(),
    scan,
    inputs,
    services: scan.services,
    repo: new RepoReader(root),
    runtime() {
      // Free receiver ports: spans from anything else on this machine sending to 4318 must not mix into the test's store.
      run ??= startRuntimeRun(ctx, { receiverHttpPort: 0, receiverGrpcPort: 0, ...options }).then(
        (r) => (resolved = r),
      );
      return run;
    },
  };
  return {
    ctx,
    started: () => resolved,
    async close() {
      if (run) await (await run.catch(() => undefined))?.close();
    },
  };
}
