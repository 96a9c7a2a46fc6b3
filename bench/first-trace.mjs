#!/usr/bin/env node
// Time to the first verified cross-service trace on the bundled demo (gateway Express → orders Flask → inventory Gin):
// the non-interactive run `plan --step 1`, `apply --step 1..4 --yes`, then `check --step 4` until
// context-propagates-over-http passes (real spans of one request through all three services at the built-in receiver).
//
// "Dependencies already installed" is measured like this: a first run on a fresh copy warms every cache (npm's cache,
// pip's wheels in a virtual environment, Go's module and build caches); then a second fresh copy of the demo is timed
// with that warm virtual environment (pip finds every package installed) and the first copy's gateway/node_modules
// copied in beforehand (npm finds every package installed). Go's module and build caches are shared by both runs.
// Both runs are printed. `check` starts the services on their usual ports (3000, 5001, 8081), which must be free.
//
// With --app one-service, the same two runs on a one-service app (test/fixtures/shapes/express-esm: Express, ESM) up to
// its first verified trace: `apply --step 1..2`, then `check --step 2` until http-requests-create-server-spans passes.
//
// Each run prints where the time went: every command (plan, apply, check) with the install commands an apply ran
// (per service, each with its own duration), and for the check's runtime run, per service: set-up commands and start
// (from spawn until its port accepts connections; a `go run` builds in it), then probes and the wait for their spans.
//
// Needs node 20+, npm, python3, go, git. Run after `npm run build`:  node bench/first-trace.mjs [--app demo|one-service]
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/trace-guide.js');
if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
for (const [tool, args] of [
  ['npm', ['--version']],
  ['python3', ['--version']],
  ['go', ['version']],
  ['git', ['--version']],
]) {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    console.error(`${tool} is needed (the demo's services and their SDK installs use it) and is not installed here`);
    process.exit(2);
  }
}

const APPS = {
  demo: {
    source: 'examples/shop',
    lastStep: 4,
    item: 'context-propagates-over-http',
    nodeModules: 'gateway/node_modules',
  },
  'one-service': {
    source: 'test/fixtures/shapes/express-esm',
    lastStep: 2,
    item: 'http-requests-create-server-spans',
    nodeModules: 'node_modules',
  },
};
const appArg = process.argv.includes('--app') ? process.argv[process.argv.indexOf('--app') + 1] : 'demo';
const APP = APPS[appArg];
if (!APP) {
  console.error(`--app must be one of ${Object.keys(APPS).join(', ')}`);
  process.exit(2);
}
const SET = [
  '--set',
  'backend=local',
  '--set',
  'tail-sampling=none',
  '--set',
  'sampling-percent=25',
  '--set',
  'business-attributes=app.order.id,app.sku',
];
const cleanup = [];

async function copyDemo(label, venv) {
  const dir = await mkdtemp(path.join(tmpdir(), `tg-first-trace-${label}-`));
  cleanup.push(dir);
  await cp(path.join(root, APP.source), dir, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git(
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@example.com',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-qm',
    'app',
  );
  if (!venv) {
    venv = await mkdtemp(path.join(tmpdir(), 'tg-first-trace-venv-'));
    cleanup.push(venv);
    execFileSync('python3', ['-m', 'venv', venv]);
  }
  return {
    dir,
    venv,
    env: {
      ...process.env,
      NO_COLOR: '1',
      PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      VIRTUAL_ENV: venv,
    },
  };
}

function cli(args, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
  });
}

async function phases(copy) {
  const rows = [];
  const phase = async (name, args, verify) => {
    const r = await cli(args, copy.env);
    const problem = verify(r);
    // The install commands an apply ran, with their own durations ("ran in 12.3 s").
    let commands = [];
    try {
      commands = (JSON.parse(r.stdout).results ?? [])
        .filter((x) => /ran in/.test(x.message ?? ''))
        .map((x) => `${x.proposalId} ${x.message}`);
    } catch {
      /* not JSON: reported by verify */
    }
    let runtime;
    try {
      runtime = JSON.parse(r.stdout).runtimeTimings;
    } catch {
      /* not JSON */
    }
    rows.push({ name, ms: r.ms, problem, commands, runtime });
    if (problem) throw new Error(`${name}: ${problem}\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
    return r;
  };
  const applied = (r) => {
    if (r.code !== 0) return `exit ${r.code}`;
    const failed = JSON.parse(r.stdout).results.filter((x) => !x.ok);
    return failed.length ? failed.map((x) => `${x.proposalId}: ${x.message}`).join('; ') : undefined;
  };
  await phase('plan --step 1', ['plan', copy.dir, '--step', '1', ...SET, '--json'], (r) =>
    r.code === 0 ? undefined : `exit ${r.code}`,
  );
  for (let step = 1; step <= APP.lastStep; step++)
    await phase(`apply --step ${step}`, ['apply', copy.dir, '--step', String(step), '--yes', '--json'], applied);
  let summary = '';
  await phase(`check --step ${APP.lastStep}`, ['check', copy.dir, '--step', String(APP.lastStep), '--json'], (r) => {
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      return `unreadable output (exit ${r.code})`;
    }
    const item = report.steps.flatMap((s) => s.results).find((x) => x.itemId === APP.item);
    if (!item) return `${APP.item} was not checked`;
    summary = item.summary;
    return item.status === 'pass' ? undefined : `${APP.item}: ${item.status}: ${item.summary}`;
  });
  return { rows, summary };
}

function print(title, { rows, summary }) {
  console.log(title);
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(16)} ${(r.ms / 1000).toFixed(2).padStart(7)} s`);
    for (const c of r.commands) console.log(`      of which install ${c}`);
    if (r.runtime) {
      const sec = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
      const t = r.runtime;
      console.log(
        `      of which the runtime run: prepare ${sec(t.prepareMs)}, start ${sec(t.startMs)}, probe ${sec(t.probeMs)}, wait ${sec(t.waitMs)}`,
      );
      for (const svc of t.services) {
        const restarts = svc.restartsMs === undefined ? '' : `   restarts (shutdown proof) ${sec(svc.restartsMs)}`;
        console.log(
          `        ${svc.serviceId.padEnd(14)} set-up ${sec(svc.setupMs).padStart(8)}   start (build included) ${sec(svc.startMs).padStart(8)}${restarts}`,
        );
      }
    }
  }
  console.log(`  ${'total'.padEnd(16)} ${(rows.reduce((a, r) => a + r.ms, 0) / 1000).toFixed(2).padStart(7)} s`);
  console.log(`  proof: ${summary}`);
}

try {
  console.log(
    `first verified trace on ${APP.source} (${APP.item}; node ${process.version}, ${process.platform}/${process.arch})`,
  );
  const warm = await copyDemo('warm-up');
  print('run 1, warm-up (fresh copy, fresh venv; npm/pip/go caches as found on this machine):', await phases(warm));
  const timed = await copyDemo('timed', warm.venv);
  await cp(path.join(warm.dir, APP.nodeModules), path.join(timed.dir, APP.nodeModules), { recursive: true });
  print(
    `run 2, dependencies already installed (fresh copy; venv and ${APP.nodeModules} from run 1; Go caches warm):`,
    await phases(timed),
  );
} catch (error) {
  console.error(`FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
}
