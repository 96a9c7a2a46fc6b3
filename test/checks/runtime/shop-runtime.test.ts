/**
 * The bundled demo (gateway Express → orders Flask → inventory Gin), instrumented by applying steps 1–6 with the real
 * recipes and install commands (npm, pip into a throwaway virtual environment from a shared wheelhouse, go get), then started by the runtime
 * run on free ports (so a shop already running on 3000/5001/8081 does not matter; ORDERS_URL / INVENTORY_URL are wired)
 * against the built-in receiver. Slow (installs and a first `go run`); nothing is faked.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../../helpers/cli.js';
import { copyDemo, removeDemo, type DemoCopy } from '../../helpers/demo-copy.js';
import { runtimeChecks, runtimeHalfChecks } from '../../../src/verify/checks/runtime/index.js';
import type { CheckResult } from '../../../src/types/check-result.js';
import { fixtureContext, type FixtureContext } from './node-fixture.js';

let demo: DemoCopy | undefined;
let fixture: FixtureContext;
const results = new Map<string, CheckResult>();

function requireTool(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${tool} is needed by this test (it installs the real OpenTelemetry SDK) and is not installed here`,
    );
  }
}

const INPUTS = {
  backend: 'local',
  'tail-sampling': 'none',
  'sampling-percent': 100,
  'business-attributes': 'app.order.id,app.sku',
};
const SET = Object.entries(INPUTS).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

beforeAll(async () => {
  assertBuilt();
  requireTool('go', ['version']);
  requireTool('python3', ['--version']);
  demo = await copyDemo('tg-shop-runtime');
  const { root, env } = demo;
  const planned = await runCli(['plan', root, '--step', '1', ...SET, '--json'], { env });
  if (planned.code !== 0) throw new Error(`plan failed: ${planned.stderr}`);
  for (const step of [1, 2, 3, 4, 5, 6]) {
    const applied = await runCli(['apply', root, '--step', String(step), '--yes', '--json'], {
      env,
      timeoutMs: 300_000,
    });
    if (applied.code !== 0) throw new Error(`apply step ${step} failed: ${applied.stdout}\n${applied.stderr}`);
  }
  fixture = await fixtureContext(root, INPUTS, { ports: 'free', env, startTimeoutMs: 120_000, spanTimeoutMs: 30_000 });
  for (const check of [...runtimeChecks, ...runtimeHalfChecks])
    results.set(
      check.itemId + (runtimeHalfChecks.includes(check) ? ' (runtime half)' : ''),
      await check.run(fixture.ctx),
    );
}, 600_000);

afterAll(async () => {
  await fixture?.close();
  await removeDemo(demo);
});

function show(id: string): string {
  const r = results.get(id);
  return r
    ? `${r.status}: ${r.summary}\n${r.evidence.map((e) => ('note' in e ? e.note : `${e.file}:${e.line}`)).join('\n')}`
    : 'no result';
}

describe('the demo shop after steps 1–6, run for real', () => {
  it('starts all three services on free ports, wired to each other', async () => {
    const run = await fixture.ctx.runtime();
    expect(run.services.map((s) => `${s.service.id} ${s.status} ${s.reason ?? ''}`.trim()).sort()).toEqual([
      'gateway running',
      'inventory running',
      'orders running',
    ]);
    const wiring = run.services
      .flatMap((s) => s.wiring.map((w) => `${s.service.id}:${w.variable}→${w.targetServiceId}`))
      .sort();
    expect(wiring).toEqual(['gateway:ORDERS_URL→orders', 'orders:INVENTORY_URL→inventory']);
    expect(run.probes.map((p) => `${p.serviceId} ${p.path}`)).toContain('gateway /checkout/widget');
  });

  it.each([
    'service-name-set',
    'http-requests-create-server-spans',
    'backend-receives-spans-from-all-services',
    'custom-spans-have-correct-parents',
    'context-propagates-over-http',
    'parent-child-across-services',
    'sampling-reduces-volume',
    'trace-ids-in-logs',
    'pitfall-context-not-propagated (runtime half)',
    'pitfall-errors-not-recorded (runtime half)',
  ])('%s passes', (id) => {
    expect(results.get(id)?.status, show(id)).toBe('pass');
  });

  it('reports every runtime item with a one-line summary', () => {
    for (const [id, r] of results) {
      expect(r.summary, id).not.toContain('\n');
      expect(['pass', 'fail', 'warn', 'skipped'], id).toContain(r.status);
    }
  });

  it('every service reports a service.instance.id and deployment.environment.name on its resource (score RES-001, RES-007)', async () => {
    const run = await fixture.ctx.runtime();
    const byService = new Map<string, { instances: Set<string>; environments: Set<string>; missing: number }>();
    for (const span of run.store.spans()) {
      const seen = byService.get(span.serviceName) ?? {
        instances: new Set<string>(),
        environments: new Set<string>(),
        missing: 0,
      };
      byService.set(span.serviceName, seen);
      const instance = span.resource['service.instance.id'];
      const environment = span.resource['deployment.environment.name'];
      if (typeof instance === 'string' && instance !== '') seen.instances.add(instance);
      if (typeof environment === 'string' && environment !== '') seen.environments.add(environment);
      if (typeof instance !== 'string' || instance === '' || typeof environment !== 'string' || environment === '')
        seen.missing++;
    }
    // The environment default from each set-up and no span without either attribute. The run starts each service more
    // than once (the shutdown proof restarts it), and each start is a new process with its own random v4 UUID.
    const summary = [...byService]
      .map(([name, s]) => `${name}: ${[...s.environments].join('|')}, ${s.missing} without`)
      .sort();
    expect(summary).toEqual([
      'gateway: development, 0 without',
      'inventory: development, 0 without',
      'orders: development, 0 without',
    ]);
    const ids = [...byService.values()].flatMap((s) => [...s.instances]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length); // no instance id shared between services
  });

  it('the request through gateway → orders → inventory is one trace', () => {
    expect(show('context-propagates-over-http')).toMatch(
      /\/checkout\/widget: one trace [0-9a-f]{32} across .*gateway.*inventory.*orders|\/checkout\/widget: one trace [0-9a-f]{32} across \S+ → \S+ → \S+/,
    );
  });
});
