#!/usr/bin/env node
// Latency overhead of the setup trace-guide generates, on the bundled demo (gateway Express → orders Flask → inventory
// Gin): p50 / p99 / max of the gateway's GET /health (gateway only) and GET /checkout/widget (all three services), at a
// fixed request rate, without and with tracing.
//
//   without: the demo as shipped (gateway `node server.js`, orders and inventory uninstrumented)
//   with:    the demo after `apply --step 1..6` (gateway `node --require ./tracing.cjs server.js`, orders and inventory
//            with their generated set-up), exporting OTLP/HTTP to the built-in receiver on a free port, as generated
//            (parent-based 25 % head sampling), and once more with every request sampled (parentbased_always_on).
//
// Load: an open-loop generator (http.Agent with keepAlive) schedules request i at t0 + i/rate and measures latency from
// that scheduled time, not from when the request could be sent, so a stall is charged to every request it delays
// (no coordinated omission). A warm-up at the same rate precedes each measurement. The receiver runs in its own process
// so it does not share an event loop with the load generator. The widget stock (100) runs out during the warm-up, so
// the measured /checkout requests answer 409 (inventory refuses, orders and the gateway pass it through): the same three
// hops, without the gateway's after-response audit call.
//
// Needs npm, python3, go, git. Run after `npm run build`:
//   node bench/overhead.mjs [rate=200] [seconds=20] [warmupSeconds=5] [checkoutRate=40]
// /health runs at `rate`; /checkout/widget at `checkoutRate`, because the orders service (Flask's development server)
// saturates well below 200 req/s on this path even without tracing, and a saturated open loop measures only its queue.
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { freePort, waitForPort } = await import(new URL('../dist/verify/runtime/ports.js', import.meta.url).href);
const RATE = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 20);
const WARMUP = Number(process.argv[4] ?? 5);
const CHECKOUT_RATE = Number(process.argv[5] ?? 40);
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

for (const [tool, args] of [
  ['npm', ['--version']],
  ['python3', ['--version']],
  ['go', ['version']],
  ['git', ['--version']],
]) {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    console.error(`${tool} is needed (the demo's services use it) and is not installed here`);
    process.exit(2);
  }
}

const cleanup = [];
const children = new Set();

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5_000).unref();
  });
}

function start(command, args, cwd, env) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr.on('data', (c) => (tail = (tail + c).slice(-2000)));
  child.tail = () => tail;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function prepare() {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-overhead-'));
  cleanup.push(dir);
  const plain = path.join(dir, 'plain');
  const traced = path.join(dir, 'traced');
  const venv = path.join(dir, 'venv');
  await cp(path.join(root, 'examples/shop'), plain, { recursive: true });
  await cp(path.join(root, 'examples/shop'), traced, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: traced, stdio: 'ignore' });
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
    'shop',
  );
  execFileSync('python3', ['-m', 'venv', venv]);
  const env = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    VIRTUAL_ENV: venv,
  };
  const bin = path.join(root, 'bin/trace-guide.js');
  execFileSync(process.execPath, [bin, 'plan', traced, '--step', '1', ...SET, '--json'], { env, stdio: 'ignore' });
  for (const step of [1, 2, 3, 4, 5, 6]) {
    const out = execFileSync(process.execPath, [bin, 'apply', traced, '--step', String(step), '--yes', '--json'], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const failed = JSON.parse(out).results.filter((r) => !r.ok);
    if (failed.length)
      throw new Error(`apply step ${step}: ${failed.map((r) => `${r.proposalId}: ${r.message}`).join('; ')}`);
  }
  // The shipped demo runs with the same packages: express from the gateway's node_modules, flask/requests from the venv.
  await cp(path.join(traced, 'gateway/node_modules'), path.join(plain, 'gateway/node_modules'), { recursive: true });
  for (const d of [plain, traced])
    execFileSync('go', ['build', '-o', 'inventory-bin', '.'], { cwd: path.join(d, 'inventory'), stdio: 'ignore' });
  return { plain, traced, venv, env };
}

/** The built-in receiver in its own process; `count()` asks it how many spans it has received. */
async function startReceiverProcess() {
  const receiverUrl = new URL('../dist/verify/receiver/receiver.js', import.meta.url).href;
  const code = `
    import { createInterface } from 'node:readline';
    const { startReceiver } = await import(${JSON.stringify(receiverUrl)});
    const r = await startReceiver({ httpPort: 0, grpcPort: 0, maxSpans: 10000 });
    console.log(JSON.stringify({ endpoint: r.httpEndpoint }));
    createInterface({ input: process.stdin }).on('line', () => console.log(JSON.stringify({ received: r.store.receivedCount })));
    process.on('SIGTERM', async () => { await r.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  children.add(child);
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise((resolve) => lines.once('line', (l) => resolve(JSON.parse(l))));
  const { endpoint } = await next();
  return {
    endpoint,
    child,
    async count() {
      const answer = next();
      child.stdin.write('count\n');
      return (await answer).received;
    },
  };
}

async function startShop(dir, venv, env, traced, receiver) {
  const [gw, orders, inventory] = [await freePort(), await freePort(), await freePort()];
  const otel = traced
    ? {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        ...(traced === 'always' ? { OTEL_TRACES_SAMPLER: 'parentbased_always_on' } : {}),
      }
    : {};
  const base = { ...env, ...otel };
  for (const k of Object.keys(base)) if (k.startsWith('OTEL_') && !(k in otel)) delete base[k];
  const procs = [
    start(path.join(dir, 'inventory/inventory-bin'), [], path.join(dir, 'inventory'), {
      ...base,
      PORT: String(inventory),
    }),
    start(path.join(venv, 'bin/python'), ['app.py'], path.join(dir, 'orders'), {
      ...base,
      PORT: String(orders),
      INVENTORY_URL: `http://127.0.0.1:${inventory}`,
    }),
    start(
      process.execPath,
      traced ? ['--require', './tracing.cjs', 'server.js'] : ['server.js'],
      path.join(dir, 'gateway'),
      {
        ...base,
        PORT: String(gw),
        ORDERS_URL: `http://127.0.0.1:${orders}`,
      },
    ),
  ];
  for (const [i, port] of [inventory, orders, gw].entries()) {
    const ok = await waitForPort(port, Date.now() + 60_000, () => procs[i].exitCode !== null);
    if (!ok) throw new Error(`a service did not start on ${port}: ${procs[i].tail()}`);
  }
  return { url: `http://127.0.0.1:${gw}`, stop: () => Promise.all(procs.map(stop)) };
}

/** Open loop: request i is due at t0 + i/rate; its latency is measured from that due time. */
function openLoop(url, rate, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const n = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(n);
  const statuses = new Map();
  let done = 0;
  let sent = 0;
  return new Promise((resolve) => {
    const t0 = performance.now() + 20;
    const finish = (i, due, status) => {
      latencies[i] = performance.now() - due;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (++done === n) {
        agent.destroy();
        resolve({ latencies: Array.from(latencies).sort((a, b) => a - b), statuses });
      }
    };
    const fire = (i, due) => {
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => finish(i, due, res.statusCode));
      });
      req.on('error', (e) => finish(i, due, e.code ?? 'error'));
    };
    const tick = () => {
      const now = performance.now();
      while (sent < n && t0 + sent * interval <= now) {
        fire(sent, t0 + sent * interval);
        sent++;
      }
      if (sent < n) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const CONFIGS = [
  { name: 'without tracing (as shipped)', traced: false },
  { name: 'with generated setup (25 % sampled)', traced: 'generated' },
  { name: 'with generated setup, 100 % sampled', traced: 'always' },
];
const ROUTES = ['/health', '/checkout/widget'];
const rateOf = (route) => (route === '/health' ? RATE : CHECKOUT_RATE);

try {
  console.log(
    `overhead of the generated tracing setup on examples/shop (node ${process.version}, ${process.platform}/${process.arch})`,
  );
  console.log(
    `open loop, /health at ${RATE} req/s and /checkout/widget at ${CHECKOUT_RATE} req/s, ${SECONDS} s each after a ${WARMUP} s warm-up; latency from each request's scheduled time`,
  );
  console.log('preparing (copy, apply steps 1–6 with installs, go build)...');
  const prep = await prepare();
  const receiver = await startReceiverProcess();
  const results = {};
  for (const config of CONFIGS) {
    const shop = await startShop(
      config.traced ? prep.traced : prep.plain,
      prep.venv,
      prep.env,
      config.traced,
      receiver,
    );
    try {
      for (const route of ROUTES) {
        await openLoop(shop.url + route, rateOf(route), WARMUP);
        const spansBefore = await receiver.count();
        const r = await openLoop(shop.url + route, rateOf(route), SECONDS);
        await new Promise((resolve) => setTimeout(resolve, 1_500)); // let the batch processors export
        const spans = (await receiver.count()) - spansBefore;
        results[`${config.name} ${route}`] = { ...r, spans };
        const l = r.latencies;
        console.log(
          `${config.name.padEnd(38)} ${route.padEnd(16)} p50 ${pct(l, 50).toFixed(2).padStart(7)} ms  p99 ${pct(l, 99).toFixed(2).padStart(7)} ms  max ${l[l.length - 1].toFixed(2).padStart(8)} ms  ` +
            `statuses ${[...r.statuses].map(([s, c]) => `${s}×${c}`).join(' ')}  spans received ${spans}`,
        );
      }
    } finally {
      await shop.stop();
    }
  }
  console.log('difference to "without tracing" (p50 / p99 / max):');
  for (const config of CONFIGS.slice(1)) {
    for (const route of ROUTES) {
      const a = results[`${CONFIGS[0].name} ${route}`].latencies;
      const b = results[`${config.name} ${route}`].latencies;
      const d = (p) => (pct(b, p) - pct(a, p)).toFixed(2);
      const sign = (x) => `${Number(x) >= 0 ? '+' : ''}${x}`;
      console.log(
        `  ${config.name.padEnd(38)} ${route.padEnd(16)} p50 ${sign(d(50))} ms  p99 ${sign(d(99))} ms  max ${sign((b[b.length - 1] - a[a.length - 1]).toFixed(2))} ms`,
      );
    }
  }
  await stop(receiver.child);
} catch (error) {
  console.error(`FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await Promise.all([...children].map(stop));
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
}
