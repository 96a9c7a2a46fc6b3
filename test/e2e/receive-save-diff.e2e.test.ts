/**
 * Snapshots as a user makes them: `trace-guide receive --save FILE` twice (a real OpenTelemetry http/protobuf exporter
 * sending a trace each time, Ctrl-C; the second with --json, printing each span whole), then `diff A B` on the two files
 * and `score --from` on one — all the real binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../helpers/cli.js';

beforeAll(() => assertBuilt());
let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `receive --save file`, sends one trace (root + the children named), stops it with SIGINT; returns stderr. */
async function receiveAndSave(
  file: string,
  children: string[],
  json = false,
): Promise<{ stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [BIN, 'receive', '--save', file, ...(json ? ['--json'] : [])], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`receiver did not start: ${stderr}`)), 10_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /OTLP\/HTTP (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  try {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout-api' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
    });
    const tracer = provider.getTracer('test');
    const root = tracer.startSpan('GET /checkout/:sku', {
      kind: SpanKind.SERVER,
      attributes: { 'http.route': '/checkout/:sku' },
    });
    for (const name of children) tracer.startSpan(name, {}, trace.setSpan(context.active(), root)).end();
    root.end();
    await provider.shutdown();
    const last = children[children.length - 1] ?? 'GET /checkout/:sku';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no tree printed: ${stdout}`)), 10_000);
      const poll = setInterval(() => {
        if (stdout.includes(last)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      }, 50);
    });
  } finally {
    child.kill('SIGINT');
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  return { stderr, stdout };
}

describe('receive --save, diff, score --from', () => {
  it('saves two runs and diffs them as span trees', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tg-snap-e2e-'));
    const before = path.join(dir, 'before.jsonl');
    const after = path.join(dir, 'after.jsonl');
    expect((await receiveAndSave(before, ['charge card'])).stderr).toMatch(
      /saved 2 span\(s\) in 1 trace\(s\) to .*before\.jsonl/,
    );
    const { stdout } = await receiveAndSave(after, ['charge card', 'reserve stock'], true);
    // receive --json: each span whole, not only the tree.
    const printed = JSON.parse(stdout);
    expect(printed.spans).toBe(3);
    expect(printed.spanDetails.find((s: { name: string }) => s.name === 'GET /checkout/:sku')).toMatchObject({
      kind: 'server',
      attributes: { 'http.route': '/checkout/:sku' },
      status: { code: 'unset' },
      serviceName: 'checkout-api',
    });

    const diff = spawnSync(process.execPath, [BIN, 'diff', before, after, '--json'], { encoding: 'utf8' });
    expect(diff.status).toBe(1);
    const json = JSON.parse(diff.stdout);
    expect(json.summary).toMatchObject({ tracesChanged: 1, spansAdded: 1, spansRemoved: 0 });
    expect(json.traces[0].changes).toEqual([
      {
        change: 'added',
        service: 'checkout-api',
        name: 'reserve stock',
        path: ['checkout-api: GET /checkout/:sku', 'checkout-api: reserve stock'],
      },
    ]);
    const same = spawnSync(process.execPath, [BIN, 'diff', before, before], { encoding: 'utf8' });
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/no differences/);

    const score = spawnSync(process.execPath, [BIN, 'score', '--from', after, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(score.stdout).spans).toBe(3);

    const missing = spawnSync(process.execPath, [BIN, 'diff', before, path.join(dir, 'nope.jsonl')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.jsonl/);
    const refused = spawnSync(process.execPath, [BIN, 'receive', '--save', path.join(dir, 'no', 'x.jsonl')], {
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/the folder .* does not exist/);
  }, 60_000);
});
