/**
 * Step 6 on a real Flask app (test/fixtures/shapes/flask-module: no log line of its own, run by `flask --app app run`):
 * after `apply --step 2` and `apply --step 6` with the JSON CLI (real pip installs into a throwaway venv), the service is
 * run against the independent oracle receiver and requested with a known traceparent. The request log line the step-6
 * edit adds carries the trace id and the span id of the request's SERVER span that arrived; werkzeug's access line,
 * written after that span ended, carries none (the set-up does not pretend it is correlated). trace-guide's own
 * `check --step 6` then passes trace-ids-in-logs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assertBuilt, runCli } from '../../helpers/cli.js';
import { SPAN_KIND_SERVER, startOracle, type Oracle } from '../../helpers/oracle-receiver.js';
import { prepareShapeInstalls } from '../../helpers/shape-installs.mjs';
import { SHAPES_DIR } from '../../helpers/shapes-drive.mjs';

const INPUTS = ['--set', 'backend=local', '--set', 'tail-sampling=none', '--set', 'sampling-percent=100'];
let dir: string;
let env: Record<string, string>;
let oracle: Oracle;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function cliJson(args: string[]): Promise<unknown> {
  const r = await runCli([...args, '--json'], { cwd: dir, env, timeoutMs: 400_000 });
  if (r.stdout.trim() === '')
    throw new Error(`trace-guide ${args.join(' ')} printed nothing (exit ${r.code}): ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  assertBuilt();
  env = { ...(await prepareShapeInstalls(['flask-module'])) };
  dir = await mkdtemp(path.join(tmpdir(), 'tg-flask-log-'));
  await cp(path.join(SHAPES_DIR, 'flask-module'), dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git(
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.com',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-qm',
    'flask-module',
  );
  const venv = path.join(dir, '.venv');
  execFileSync('python3', ['-m', 'venv', venv]);
  env.PATH = `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  env.VIRTUAL_ENV = venv;
  for (const step of ['2', '6']) {
    const applied = (await cliJson(['apply', dir, '--step', step, '--yes', ...INPUTS])) as {
      results?: Array<{ ok: boolean; proposalId: string; message?: string }>;
    };
    expect(applied.results?.filter((r) => !r.ok) ?? [], `apply --step ${step}`).toEqual([]);
  }
  oracle = await startOracle();
}, 900_000);

afterAll(async () => {
  await oracle?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("the request line carries the arrived SERVER span's ids; werkzeug's access line, written after the span, does not", async () => {
  const port = await freePort();
  const child = spawn(path.join(dir, '.venv', 'bin', 'flask'), ['--app', 'app', 'run', '--port', String(port)], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: oracle.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise((r) => child.on('close', r));
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  try {
    const until = Date.now() + 120_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > until) throw new Error(`flask did not answer on ${port}: ${log.slice(-1000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const res = await fetch(`http://127.0.0.1:${port}/todos`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    const arrive = Date.now() + 20_000;
    while (!oracle.spans.some((s) => s.traceId === traceId && s.kind === SPAN_KIND_SERVER) && Date.now() < arrive)
      await new Promise((r) => setTimeout(r, 200));
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  const server = oracle.spans.find((s) => s.traceId === traceId && s.kind === SPAN_KIND_SERVER);
  expect(server, 'the SERVER span of the request arrived at the oracle').toBeDefined();
  const lines = log.split('\n');
  const requestLine = lines.find((l) => l.includes('handled GET /todos'));
  expect(requestLine, log).toBeDefined();
  expect(requestLine).toContain(`trace_id=${traceId}`);
  expect(requestLine).toContain(`span_id=${server!.spanId}`);
  const access = lines.find((l) => l.includes('"GET /todos HTTP/1.1" 200'));
  expect(access, log).toBeDefined();
  expect(access).not.toContain(traceId);
}, 300_000);

test("trace-guide's check --step 6 passes trace-ids-in-logs on it", async () => {
  const checked = (await cliJson(['check', dir, '--step', '6'])) as {
    steps?: Array<{ number: number; results?: Array<{ itemId: string; status: string; summary: string }> }>;
  };
  const result = checked.steps?.find((s) => s.number === 6)?.results?.find((r) => r.itemId === 'trace-ids-in-logs');
  expect(result, JSON.stringify(checked).slice(0, 2000)).toMatchObject({ status: 'pass' });
}, 600_000);
