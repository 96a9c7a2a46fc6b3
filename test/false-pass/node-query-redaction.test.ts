/**
 * Issue 14 item 9, the set-up half: the Node set-up templates hand the http instrumentation a list of credential query
 * parameters to redact. Proven against the instrumentation version the recipes pin (instrumentation-http 0.300.0, from
 * the test cache): with the template's list, `?api-key=…&token=…` reaches the spans as REDACTED on the SERVER span
 * (url.query) and on the CLIENT span (url.full); with the instrumentation's default list it does not — and the
 * credentials check then fails.
 */
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialsIn } from '../../src/verify/checks/runtime/credential-values.js';
import { startReceiver, type RunningReceiver } from '../../src/verify/receiver/receiver.js';
import { nodeSdkModules } from '../doctor/node-sdk-install.js';
import { run } from '../receiver/sdk-clients-helpers.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const TEMPLATE = path.resolve(
  import.meta.dirname,
  '../../skills/instrument-distributed-tracing/templates/node/tracing.cjs',
);

/** The REDACTED_QUERY_PARAMS array literal of the template, as written there. */
async function templateList(): Promise<string> {
  const text = await readFile(TEMPLATE, 'utf8');
  const m = /const REDACTED_QUERY_PARAMS = (\[[\s\S]*?\]);/.exec(text);
  if (!m) throw new Error('the Node template has no REDACTED_QUERY_PARAMS list');
  expect(text).toContain(
    "'@opentelemetry/instrumentation-http': { redactedQueryParams: REDACTED_QUERY_PARAMS, redactedQueryParamsServer: REDACTED_QUERY_PARAMS }",
  );
  return m[1]!;
}

function program(endpoint: string, config: string): string {
  return `'use strict';
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const exporter = new OTLPTraceExporter({ url: ${JSON.stringify(`${endpoint}/v1/traces`)} });
const sdk = new NodeSDK({ serviceName: 'redaction', traceExporter: exporter, instrumentations: [new HttpInstrumentation(${config})] });
sdk.start();
const http = require('node:http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  http.get('http://127.0.0.1:' + port + '/items?api-key=k3y-secret-1&token=t0k-secret-2&page=2', (res) => {
    res.resume();
    res.on('end', () => { server.closeAllConnections(); server.close(() => sdk.shutdown().then(() => process.exit(0))); });
  });
});
`;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function spansWith(config: string) {
  const modules = await nodeSdkModules();
  const receiver: RunningReceiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  cleanups.push(() => receiver.close());
  const dir = await makeSampleRepo({}, { prefix: 'tg-redaction-' });
  cleanups.push(() => removeSampleRepo(dir));
  await symlink(modules, path.join(dir, 'node_modules'), 'dir');
  await writeFile(path.join(dir, 'main.cjs'), program(receiver.httpEndpoint, config));
  await run(process.execPath, ['main.cjs'], { cwd: dir });
  await receiver.store.waitFor((s) => s.spans().length >= 2, 10_000, 'the server and client spans');
  return receiver.store.spans();
}

describe('the Node set-up redacts credential query parameters', { timeout: 180_000 }, () => {
  it("with the template's list the key and token arrive as REDACTED, and the credentials check finds nothing", async () => {
    const list = await templateList();
    const spans = await spansWith(`{ redactedQueryParams: ${list}, redactedQueryParamsServer: ${list} }`);
    const server = spans.find((s) => s.kind === 'server')!;
    const client = spans.find((s) => s.kind === 'client')!;
    expect(server.attributes['url.query']).toBe('api-key=REDACTED&token=REDACTED&page=2');
    expect(String(client.attributes['url.full'])).toContain('api-key=REDACTED&token=REDACTED&page=2');
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toMatch(/k3y-secret-1|t0k-secret-2/);
    expect(spans.flatMap((s) => credentialsIn(s))).toEqual([]);
  });

  it("with the instrumentation's default list the key arrives in the spans, and the credentials check names it", async () => {
    const spans = await spansWith('{}');
    const server = spans.find((s) => s.kind === 'server')!;
    expect(String(server.attributes['url.query'])).toContain('api-key=k3y-secret-1');
    expect(spans.flatMap((s) => credentialsIn(s)).map((f) => f.what)).toContain('query parameter api-key');
  });
});
