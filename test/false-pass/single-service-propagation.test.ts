/**
 * Issue 14 item 6: step 4 on a repo with one service. A real Node service (the doctor fixture: SERVER span per request
 * continuing the context the global propagator extracts, one child) is started against the built-in receiver and
 * probed with known traceparents.
 *
 * - With the W3C propagator: context-propagates-over-http and parent-child-across-services pass, and the evidence shows
 *   the SERVER span's trace id and parent id are the ones sent.
 * - False pass: the same service without a propagator (its SERVER spans start new traces). Neither check passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { contextPropagatesOverHttp } from '../../src/verify/checks/runtime/context-propagates-over-http.js';
import { parentChildAcrossServices } from '../../src/verify/checks/runtime/parent-child-across-services.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { makeDoctorRepo } from '../doctor/doctor-fixture.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function singleService(propagator: boolean) {
  const root = await makeDoctorRepo({ port: await freePort(), serviceName: 'svc', propagator });
  cleanup.push(() => removeSampleRepo(root));
  const fixture = await fixtureContext(root, {}, { ports: 'free', spanTimeoutMs: 4_000, settleMs: 500 });
  cleanup.push(() => fixture.close());
  const run = await fixture.ctx.runtime();
  expect(run.services.map((s) => s.status)).toEqual(['running']);
  return { ctx: fixture.ctx, run };
}

describe('step 4 on a single service', { timeout: 60_000 }, () => {
  it('passes when its SERVER span continues the incoming traceparent (trace id and parent id match)', async () => {
    const { ctx, run } = await singleService(true);
    const http = await contextPropagatesOverHttp.run(ctx);
    expect(http.status, http.summary).toBe('pass');
    expect(http.summary).toMatch(/one service: \d+ request\(s\) sent with a known traceparent were continued/);
    const probe = run.probes.find((p) => p.status === 200)!;
    const server = run.store.spansOfTrace(probe.traceId).find((s) => s.kind === 'server')!;
    expect(server.parentSpanId).toBe(probe.parentSpanId);
    expect(http.evidence.map((e) => ('note' in e ? e.note : '')).join('\n')).toContain(
      `00-${probe.traceId}-${probe.parentSpanId}-01`,
    );
    const parents = await parentChildAcrossServices.run(ctx);
    expect(parents.status, parents.summary).toBe('pass');
  });

  it('does not pass when the propagator is missing and the SERVER span starts a new trace', async () => {
    const { ctx } = await singleService(false);
    const http = await contextPropagatesOverHttp.run(ctx);
    expect(http.status).toBe('fail');
    expect(http.evidence.map((e) => ('note' in e ? e.note : '')).join('\n')).toMatch(/new trace/);
    const parents = await parentChildAcrossServices.run(ctx);
    expect(parents.status).not.toBe('pass');
  });
});
