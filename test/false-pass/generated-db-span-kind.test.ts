/**
 * The product's own advice must pass its own checks: the Node note for an uninstrumented database client tells the user
 * to wrap queries with the generated helper. A query wrapped with withSpan is INTERNAL, which pitfall-wrong-span-kind's
 * runtime half rightly fails; withClientSpan makes it CLIENT. The generated module is run with the real OpenTelemetry
 * SDK and what it produced is judged by the check.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pitfallWrongSpanKindAtRuntime } from '../../src/verify/checks/runtime/pitfall-wrong-span-kind.js';
import type { SpanKindName } from '../../src/verify/receiver/span.js';
import { fakeContext, fakeRun, PROBE_PARENT, span, TRACE } from './fake-run.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TEMPLATES = join(ROOT, 'skills/instrument-distributed-tracing/templates/node');
const KIND_NAMES: SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];

type WithSpan = (name: string, attributes: Record<string, string>, fn: () => Promise<unknown>) => Promise<unknown>;

/** The generated CommonJS helper, evaluated with the repo's @opentelemetry/api. */
function generatedHelper(): { withSpan: WithSpan; withClientSpan: WithSpan } {
  const code = readFileSync(join(TEMPLATES, 'with-span.cjs'), 'utf8').replaceAll('{{serviceName}}', 'orders');
  const module = { exports: {} as Record<string, WithSpan> };
  new Function('require', 'module', 'exports', code)(createRequire(join(ROOT, 'package.json')), module, module.exports);
  return module.exports as { withSpan: WithSpan; withClientSpan: WithSpan };
}

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => trace.setGlobalTracerProvider(provider));
afterAll(() => trace.disable());

const DB = { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'orders' };

async function judgeQuerySpan(wrap: WithSpan) {
  exporter.reset();
  await wrap('SELECT orders', DB, async () => [{ id: 1 }]);
  const [made] = exporter.getFinishedSpans() as ReadableSpan[];
  expect(made, 'the helper ended its span').toBeDefined();
  const server = span({
    name: 'GET /orders',
    kind: 'server',
    parentSpanId: PROBE_PARENT,
    attributes: { 'http.request.method': 'GET', 'url.path': '/orders', 'http.route': '/orders' },
  });
  const query = span({
    name: made!.name,
    kind: KIND_NAMES[made!.kind]!,
    traceId: TRACE,
    parentSpanId: server.spanId,
    scope: { name: 'orders' },
    attributes: { ...made!.attributes } as Record<string, string>,
  });
  return pitfallWrongSpanKindAtRuntime.run(fakeContext(fakeRun([server, query])));
}

describe('the generated span helper and the database note pass their own span-kind check', () => {
  it('a query wrapped with withSpan is INTERNAL and does not pass', async () => {
    const r = await judgeQuerySpan(generatedHelper().withSpan);
    expect(r.status).toBe('fail');
  });

  it('a query wrapped with withClientSpan is CLIENT and passes', async () => {
    const r = await judgeQuerySpan(generatedHelper().withClientSpan);
    expect(r.status).toBe('pass');
  });

  it('the note for an uninstrumented database client advises withClientSpan, never a plain withSpan around a query', () => {
    const note = readFileSync(join(TEMPLATES, 'notes/db-not-instrumented.txt'), 'utf8');
    expect(note).toMatch(/withClientSpan\('SELECT/);
    expect(note).not.toMatch(/\bwithSpan\(/);
  });
});
