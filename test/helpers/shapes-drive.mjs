/**
 * Drives one app of the real-shapes corpus (test/fixtures/shapes/) through steps 1–6 with the JSON commands of the built
 * CLI only (plan / apply --yes / check, no hand edits), then runs the service itself against an independent oracle
 * receiver and judges every step the product called proven against what arrived. Plain .mjs with no src/ imports: the
 * end-to-end test and bench/corpus.mjs share it. The oracle is passed in (test/helpers/oracle-receiver.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHAPES_DIR = path.join(PROJECT_ROOT, 'test/fixtures/shapes');
const BIN = path.join(PROJECT_ROOT, 'bin/trace-guide.js');

/** The GET routes each shape serves (read from its source by hand): the oracle run requests every one. */
export const SHAPE_ROUTES = {
  'flask-module': ['/', '/todos'],
  'flask-factory': ['/hello', '/auth/login', '/auth/register'],
  'flask-gunicorn': ['/api/v1/products', '/health/live'],
  'fastapi-uvicorn': ['/status', '/items/', '/users/me'],
  'django-runserver': ['/', '/polls/'],
  'express-cjs-guard': ['/', '/bookmarks/', '/bookmarks/latest'],
  'express-bin-www': ['/', '/books/'],
  'express-esm': ['/health', '/api/forecast/today'],
  'ts-express-tsx': ['/healthz', '/accounts/'],
  'oneline-package': ['/ping'],
  'gin-logger': ['/healthz', '/v1/quotes', '/v1/admin/stats'],
  'go-nethttp-cmd': ['/healthz', '/notes'],
};

/**
 * The port each shape listens on (its framework's default or its own, read from its source by hand): two drives on one
 * port must not run at once (test/helpers/shape-slots.mjs).
 */
export const SHAPE_PORTS = {
  'flask-module': 5000,
  'flask-factory': 5000,
  'flask-gunicorn': 8000,
  'fastapi-uvicorn': 8000,
  'django-runserver': 8000,
  'express-cjs-guard': 3000,
  'express-bin-www': 3000,
  'express-esm': 8080,
  'ts-express-tsx': 4000,
  'oneline-package': 3100,
  'gin-logger': 8080,
  'go-nethttp-cmd': 7070,
};

export const PYTHON_SHAPES = new Set([
  'flask-module',
  'flask-factory',
  'flask-gunicorn',
  'fastapi-uvicorn',
  'django-runserver',
]);
const INPUTS = ['--set', 'backend=local', '--set', 'tail-sampling=none', '--set', 'sampling-percent=100'];

function cli(args, cwd, env, timeoutMs = 300_000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why a step is not proven, in one line per failing required check (a finding about the product, not a test failure). */
function failuresOf(step) {
  const out = [];
  for (const r of step?.results ?? []) {
    if (r.status !== 'pass' && (step.required ?? []).includes(r.itemId))
      out.push(`${r.itemId}: ${r.status}: ${r.summary}`);
  }
  for (const n of step?.requiredNotesOpen ?? [])
    out.push(`required note open: ${typeof n === 'string' ? n : JSON.stringify(n)}`);
  return out;
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await sleep(300);
    }
  }
  return false;
}

/**
 * Runs the service the way the scan says it starts, exporting to the oracle, sends each route a request with a known
 * traceparent, stops it with SIGTERM (the SDK flushes) and returns its log output and the sent parent ids.
 */
async function runAgainstOracle(dir, service, routes, oracleUrl, env) {
  const port = service.port?.value;
  const command = service.start?.command;
  if (!port || !command)
    return { ran: false, why: `the scan gives no ${!port ? 'port' : 'start command'}`, log: '', sent: [] };
  const child = spawn('sh', ['-c', `exec ${command}`], {
    cwd: path.join(dir, service.root ?? '.'),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      OTEL_EXPORTER_OTLP_ENDPOINT: oracleUrl,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${oracleUrl}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_TRACES_SAMPLER: 'always_on',
    },
  });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const exited = new Promise((r) => child.on('close', r));
  const sent = [];
  try {
    if (!(await waitForPort(port, 120_000))) return { ran: false, why: `nothing answered on port ${port}`, log, sent };
    for (const route of routes) {
      const traceId = randomHex(16);
      const parentId = randomHex(8);
      sent.push({ route, traceId, parentId });
      await fetch(`http://127.0.0.1:${port}${route}`, {
        headers: { traceparent: `00-${traceId}-${parentId}-01` },
        signal: AbortSignal.timeout(5000),
      }).catch(() => undefined);
    }
    await sleep(1000);
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timeout = sleep(10_000).then(() => 'timeout');
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  return { ran: true, log, sent };
}

/** The oracle's verdict per step (only steps 2, 3, 4, 6 are observable from spans and logs). */
export function judge(spans, sent, log) {
  const mine = spans;
  const servers = mine.filter((s) => s.kind === 2);
  const sentParents = new Map(sent.map((s) => [s.traceId, s.parentId]));
  const traceIds = new Set(mine.map((s) => s.traceId));
  return {
    2: servers.length > 0,
    3: mine.some((s) => !/instrumentation|otelhttp|otelgin|otelmux|otelchi/i.test(s.scope)),
    4: servers.some((s) => sentParents.get(s.traceId) === s.parentSpanId),
    6: [...traceIds].some((id) => log.toLowerCase().includes(id)),
  };
}

/**
 * The whole drive of one shape. Returns { name, proven: {step: bool}, failures: {step: string[]}, oracle: {step: bool},
 * disagreements: string[] (a step called proven that the oracle does not see: a false pass), ran, why }. `env` is added
 * to the environment of trace-guide's commands and of the service (test/helpers/shape-installs.mjs prepares it).
 */
export async function driveShape(name, oracle, { log = () => {}, env: sharedEnv = {} } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), `tg-corpus-${name}-`));
  const env = { ...sharedEnv };
  try {
    await cp(path.join(SHAPES_DIR, name), dir, { recursive: true });
    const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', name);
    if (PYTHON_SHAPES.has(name)) {
      // pip installs into a throwaway virtual environment inside the copy, never into the machine's Python.
      const venv = path.join(dir, '.venv');
      execFileSync('python3', ['-m', 'venv', venv]);
      env.PATH = `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
      env.VIRTUAL_ENV = venv;
    }
    const proven = {};
    const failures = {};
    for (const step of [1, 2, 3, 4, 5, 6]) {
      const stepStarted = Date.now();
      const plan = await cli(['plan', dir, '--step', String(step), ...INPUTS, '--json'], dir, env);
      const apply = await cli(['apply', dir, '--step', String(step), '--yes', ...INPUTS, '--json'], dir, env);
      const check = await cli(['check', dir, '--step', String(step), '--json'], dir, env, 400_000);
      const result = check.json?.steps?.find((s) => s.number === step);
      proven[step] = result?.proven === true;
      failures[step] = proven[step] ? [] : failuresOf(result);
      if (!plan.json) failures[step].push(`plan: ${plan.stderr.trim().split('\n').at(-1)}`);
      if (!apply.json) failures[step].push(`apply: ${apply.stderr.trim().split('\n').at(-1)}`);
      else
        for (const r of apply.json.results ?? []) if (!r.ok) failures[step].push(`apply ${r.proposalId}: ${r.message}`);
      if (!check.json) failures[step].push(`check: exit ${check.code}: ${check.stderr.trim().split('\n').at(-1)}`);
      log(
        `${name} step ${step} (${Math.round((Date.now() - stepStarted) / 1000)} s): ${proven[step] ? 'proven' : `not proven (${failures[step].join('; ')})`}`,
      );
    }
    const scan = await cli(['scan', dir, '--json'], dir, env);
    const service = scan.json?.scan?.services?.[0];
    const before = oracle.spans.length;
    const run = service
      ? await runAgainstOracle(dir, service, SHAPE_ROUTES[name] ?? ['/'], oracle.url, env)
      : { ran: false, why: 'the scan found no service', log: '', sent: [] };
    // Only this run's spans (one oracle per drive, or drives one after another).
    const spans = oracle.spans.slice(before);
    const oracleSays = judge(spans, run.sent, run.log);
    const disagreements = [];
    for (const step of [2, 3, 4, 6]) {
      if (proven[step] && !oracleSays[step])
        disagreements.push(
          `step ${step} is proven by trace-guide but the oracle saw no evidence (${spans.length} spans from the run)`,
        );
    }
    return {
      name,
      proven,
      failures,
      oracle: oracleSays,
      disagreements,
      ran: run.ran,
      why: run.why,
      spanCount: spans.length,
      serviceLog: run.log.slice(-2000),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
