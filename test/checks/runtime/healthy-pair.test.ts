/**
 * Two real Node services (front calls back over HTTP with traceparent) started by the runtime run against the built-in
 * receiver: every runtime check passes on them, and the run wires FRONT's BACK_URL to where back really listens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSampleRepo } from '../../helpers/sample-repo.js';
import { freePort } from '../../../src/verify/runtime/ports.js';
import { runtimeChecks, runtimeHalfChecks } from '../../../src/verify/checks/runtime/index.js';
import type { Check } from '../../../src/verify/check.js';
import { fixtureContext, makeFixtureRepo, type FixtureContext } from './node-fixture.js';

let root: string;
let fixture: FixtureContext;

function check(id: string): Check {
  const found = [...runtimeChecks, ...runtimeHalfChecks].find((c) => c.itemId === id);
  if (!found) throw new Error(`no runtime check ${id}`);
  return found;
}

beforeAll(async () => {
  const backDefault = await freePort();
  root = await makeFixtureRepo([
    {
      dir: 'front',
      serviceName: 'front',
      port: await freePort(),
      calls: { variable: 'BACK_URL', defaultUrl: `http://127.0.0.1:${backDefault}` },
      ratio: 0.25,
    },
    { dir: 'back', serviceName: 'back', port: backDefault, ratio: 0.25 },
  ]);
  // 'free' ports: back moves off the port FRONT's default URL names, so the run must wire BACK_URL.
  fixture = await fixtureContext(
    root,
    { 'sampling-percent': 25, 'tail-sampling': 'none', 'business-attributes': 'app.item' },
    { ports: 'free' },
  );
  await fixture.ctx.runtime();
});

afterAll(async () => {
  await fixture?.close();
  if (root) await removeSampleRepo(root);
});

describe('runtime checks on two healthy services', () => {
  it('starts both, probes the routes found in the code, and wires the caller to the started callee', async () => {
    const run = await fixture.ctx.runtime();
    expect(run.services.map((s) => [s.service.id, s.status, s.reason])).toEqual([
      ['back', 'running', undefined],
      ['front', 'running', undefined],
    ]);
    const front = run.services.find((s) => s.service.id === 'front');
    const back = run.services.find((s) => s.service.id === 'back');
    expect(front?.wiring).toEqual([
      expect.objectContaining({
        variable: 'BACK_URL',
        value: `http://127.0.0.1:${back?.port}`,
        targetServiceId: 'back',
      }),
    ]);
    expect(front?.env.OTEL_SERVICE_NAME).toBeUndefined();
    expect(front?.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(run.receiver.httpEndpoint);
    expect(run.probes.map((p) => `${p.serviceId} ${p.path} ${p.status}`).sort()).toEqual([
      'back /fail 500',
      'back /hello 200',
      'back /work 200',
      'front /fail 500',
      'front /hello 200',
      'front /work 200',
    ]);
    expect(run.probes.find((p) => p.path === '/fail')?.expectError).toBe(true);
  });

  it.each([
    'service-name-set',
    'http-requests-create-server-spans',
    'backend-receives-spans-from-all-services',
    'custom-spans-have-correct-parents',
    'attributes-semconv-and-business-context',
    'context-propagates-over-http',
    'parent-child-across-services',
    'trace-ids-in-logs',
    'pitfall-context-not-propagated',
    'pitfall-errors-not-recorded',
    'pitfall-wrong-span-kind',
    'pitfall-credentials-in-spans',
  ])('%s passes', async (id) => {
    const outcome = await check(id).run(fixture.ctx);
    expect(outcome.status, `${outcome.summary}\n${JSON.stringify(outcome.evidence, null, 1)}`).toBe('pass');
    expect(outcome.evidence.length).toBeGreaterThan(0);
  });

  it('context-propagates-over-http names the request that crossed both services in one trace', async () => {
    const outcome = await check('context-propagates-over-http').run(fixture.ctx);
    expect(outcome.evidence.map((e) => ('note' in e ? e.note : ''))).toContainEqual(
      expect.stringMatching(/GET http:\/\/127\.0\.0\.1:\d+\/hello: one trace [0-9a-f]{32} across back → front/),
    );
  });

  it('sampling-reduces-volume passes at the configured 25% and says the 99% interval', async () => {
    const outcome = await check('sampling-reduces-volume').run(fixture.ctx);
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.summary).toMatch(/kept \d+ of 200 traces .*target 25%, 99% binomial interval \d+–\d+/);
  });

  it('sampling-reduces-volume fails when the services keep 25% but 100% was asked for', async () => {
    const outcome = await check('sampling-reduces-volume').run({
      ...fixture.ctx,
      inputs: { ...fixture.ctx.inputs, 'sampling-percent': 100 },
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/target 100%, 99% binomial interval 200–200/);
  });

  it('context-propagates-over-queues is skipped with the reason: no broker traffic', async () => {
    const outcome = await check('context-propagates-over-queues').run(fixture.ctx);
    expect(outcome.status).toBe('skipped');
    expect(outcome.summary).toMatch(/0 PRODUCER and 0 CONSUMER/);
  });

  it('attributes-semconv-and-business-context fails when a chosen business attribute never appears', async () => {
    const outcome = await check('attributes-semconv-and-business-context').run({
      ...fixture.ctx,
      inputs: { ...fixture.ctx.inputs, 'business-attributes': 'app.customer.tier' },
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/none of the business attributes \(app\.customer\.tier\)/);
  });

  it('close() leaves no process of the services behind', async () => {
    const run = await fixture.ctx.runtime();
    const groups = run.services.map((s) => s.pid).filter((pid): pid is number => pid !== undefined);
    expect(groups).toHaveLength(2);
    await run.close();
    for (const pid of groups) expect(() => process.kill(-pid, 0)).toThrow();
  });
});
