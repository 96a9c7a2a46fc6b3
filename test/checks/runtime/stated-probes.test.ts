/**
 * A route that needs a query key: a real Node service (OpenTelemetry SDK from this project's devDependencies, spans to
 * the built-in receiver) answers 400 without ?api-key=. The user states the probe in the `probes` input; the run sends
 * it (and only it) instead of the bare route read from the code, the sampling burst repeats it with its key, a stated
 * probe that meets 404 is not counted as a probed route, and the `setup-commands` input runs once before the start
 * (the service refuses to start without the file it creates).
 */
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { httpRequestsCreateServerSpans } from '../../../src/verify/checks/runtime/http-requests-create-server-spans.js';
import { freePort } from '../../../src/verify/runtime/ports.js';
import { fixtureContext, type FixtureContext } from './node-fixture.js';

const SERVER = (port: number) => `'use strict';
const fs = require('node:fs');
const http = require('node:http');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');

if (!fs.existsSync('db.json')) {
  console.error('db.json is missing: run node init-db.js first');
  process.exit(2);
}
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'weather' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const tracer = provider.getTracer('weather');
const propagator = new W3CTraceContextPropagator();
const routes = new Map();
const route = { get(p, handler) { routes.set(p, handler); } };

route.get('/forecast', (url) => (url.searchParams.get('api-key') === 'demo' ? 200 : 400));

const server = http.createServer((req, res) => {
  const url = new URL(req.url || '/', 'http://x');
  const parent = propagator.extract(api.ROOT_CONTEXT, req.headers, api.defaultTextMapGetter);
  const span = tracer.startSpan('GET ' + url.pathname, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': url.pathname } }, parent);
  const handler = routes.get(url.pathname);
  const code = handler ? handler(url) : 404;
  span.setAttribute('http.response.status_code', code);
  span.end();
  console.log('GET ' + url.pathname + ' ' + code);
  res.writeHead(code, { 'content-type': 'text/plain' });
  res.end(String(code));
});
process.on('SIGTERM', async () => {
  server.close();
  await provider.shutdown();
  process.exit(0);
});
server.listen(Number(process.env.PORT || ${port}), '127.0.0.1');
`;

let root: string;
let fixture: FixtureContext;

beforeAll(async () => {
  root = await makeSampleRepo(
    {
      'weather/package.json': JSON.stringify({
        name: 'weather',
        version: '1.0.0',
        private: true,
        scripts: { start: 'node server.js' },
      }),
      'weather/server.js': SERVER(await freePort()),
      'weather/init-db.js':
        "require('node:fs').writeFileSync('db.json', JSON.stringify({ made: process.env.DB_LABEL }));\n",
    },
    { prefix: 'tg-probes-' },
  );
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'weather', 'node_modules'), 'dir');
  fixture = await fixtureContext(
    root,
    {
      probes: '[GET /forecast?api-key=demo -> 200, GET /not-a-route]',
      'setup-commands': 'DB_LABEL=first node init-db.js',
    },
    { ports: 'free' },
  );
  await fixture.ctx.runtime();
});

afterAll(async () => {
  await fixture?.close();
  if (root) await removeSampleRepo(root);
});

describe('user-stated probes and set-up commands', () => {
  it('runs the set-up command before the start, then sends the stated probes instead of the bare route', async () => {
    const run = await fixture.ctx.runtime();
    expect(run.services.map((s) => [s.service.id, s.status, s.reason])).toEqual([['weather', 'running', undefined]]);
    expect(
      run.probes.map((p) => [p.source, p.method, new URL(p.url).pathname + new URL(p.url).search, p.status]),
    ).toEqual([
      ['stated', 'GET', '/forecast?api-key=demo', 200],
      ['stated', 'GET', '/not-a-route', 404],
    ]);
    // The bare route, which answers 400, was not probed.
    expect(run.logLines('weather').map((l) => l.text)).not.toContain('GET /forecast 400');
  });

  it('counts the keyed probe as answered by a SERVER span, and the 404 as no probed route', async () => {
    const result = await httpRequestsCreateServerSpans.run(fixture.ctx);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('1 probe request(s), each answered by a SERVER span');
    expect(result.evidence.map((e) => ('note' in e ? e.note : ''))).toContainEqual(
      expect.stringMatching(/\/not-a-route → 404: not found \(404\), so no route was probed; not counted/),
    );
  });

  it('the sampling burst repeats the stated request with its key', async () => {
    const run = await fixture.ctx.runtime();
    const burst = await run.burst(20);
    expect(burst.problem).toBeUndefined();
    expect(burst.url).toContain('/forecast?api-key=demo');
    expect(burst.answered).toBe(20);
    const lines = run.logLines('weather').map((l) => l.text);
    expect(lines.filter((l) => l === 'GET /forecast 200').length).toBeGreaterThanOrEqual(21);
    expect(lines).not.toContain('GET /forecast 400');
  });
});
