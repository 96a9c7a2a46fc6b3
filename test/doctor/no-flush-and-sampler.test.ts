/**
 * no-flush-on-exit and sampler-drops-sampled-children, each on a real Node program with the project's OpenTelemetry
 * SDK, through diagnose() with every cause: the faulty program is named by that cause and no other, the fixed one
 * (by hand, and by applying the doctor's own proposal) gives no finding with spans having arrived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/diagnose.js';
import { noFlushOnExitCause, oneShotCandidates } from '../../src/doctor/causes/no-flush-on-exit.js';
import { samplerDropsChildrenCause } from '../../src/doctor/causes/sampler-drops-children.js';
import { applyProposals } from '../../src/edit/apply.js';
import { previewProposals } from '../../src/edit/preview.js';
import { runOnce } from '../../src/verify/runtime/one-shot-run.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { fixtureContext, type FixtureContext } from '../checks/runtime/node-fixture.js';
import { makeJobRepo, makePythonAndGoRepo, makeSampledRepo, makeServerWithJobsRepo } from './job-fixture.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function context(root: string): Promise<FixtureContext> {
  const fixture = await fixtureContext(root, {}, { ports: 'free', spanTimeoutMs: 3_000, settleMs: 400 });
  cleanup.push(() => fixture.close());
  return fixture;
}

async function doctor(root: string) {
  const fixture = await context(root);
  const diagnosis = await diagnose(fixture.ctx);
  // Every probe and one-shot run is over: stop the services now, so a re-run in the same test gets a free port.
  await fixture.close();
  return { diagnosis, fixture };
}

async function repo(make: Promise<string>): Promise<string> {
  const root = await make;
  cleanup.push(() => removeSampleRepo(root));
  return root;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('doctor: no-flush-on-exit', { timeout: 30_000 }, () => {
  it('runs a job without a port once, sees 0 of its spans arrive after it exited, and proposes a shutdown that works', async () => {
    const root = await repo(makeJobRepo({ shutdown: false }));
    const { diagnosis, fixture } = await doctor(root);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['no-flush-on-exit']);
    expect(diagnosis.spansArrived).toBe(0);
    expect(diagnosis.services).toEqual([expect.objectContaining({ id: 'jobs', status: 'not-started' })]);
    const [f] = diagnosis.findings;
    expect(f!.service).toBe('jobs');
    expect(f!.confidence).toBe('high');
    const notes = f!.evidence.map((e) => e.note).join('\n');
    expect(notes).toMatch(
      /ran `npm start` once in jobs with OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:\d+ .*OTEL_SERVICE_NAME unset.*exited with code 0/,
    );
    expect(notes).toContain('report written: 3 parts');
    expect(notes).toContain('0 spans arrived after it exited');
    expect(f!.evidence).toContainEqual(expect.objectContaining({ file: 'jobs/package.json', line: 7 }));
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ file: 'jobs/report.js', line: 7, text: 'const provider = new BasicTracerProvider({' }),
    );
    // The run's receiver really was up: the one-shot went to it, and nothing else was started.
    expect(fixture.started()?.probes).toEqual([]);

    const previews = await previewProposals(root, f!.proposals);
    expect(previews.map((p) => p.problem)).toEqual([undefined]);
    expect(previews[0]!.text).toContain("+process.once('beforeExit', () => provider.shutdown());");

    // The doctor's own edit, applied: the same job now delivers its spans and the doctor finds nothing.
    const applied = await applyProposals(root, f!.proposals);
    expect(applied.results.every((r) => r.ok)).toBe(true);
    const after = await doctor(root);
    expect(after.diagnosis.findings).toEqual([]);
    expect(after.diagnosis.spansArrived).toBe(4);
  });

  it('finds nothing on the job that awaits provider.shutdown(), and its spans arrived', async () => {
    const root = await repo(makeJobRepo({ shutdown: true }));
    const { diagnosis } = await doctor(root);
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBe(4);
  });

  it('never runs a server once, only traced job scripts of it (not migrations, not lint)', async () => {
    const root = await repo(makeServerWithJobsRepo(await freePort()));
    const fixture = await context(root);
    const [api] = fixture.ctx.services;
    expect(api?.port).toBeDefined();
    const candidates = await oneShotCandidates(fixture.ctx, undefined, api!);
    expect(candidates.map((c) => [c.script, c.command])).toEqual([['report', 'npm run report']]);
    expect(candidates[0]!.evidence).toEqual(
      expect.objectContaining({ file: 'api/package.json', text: '"report": "node jobs/report.js",' }),
    );
  });

  it('kills a one-shot command that outlives its deadline, with everything it started', async () => {
    const root = await repo(makeJobRepo({ shutdown: true }));
    const fixture = await context(root);
    const run = await fixture.ctx.runtime();
    // A shell that starts a background sleeper and then waits forever: neither may survive the deadline.
    const result = await runOnce(run, 'stuck', 'sleep 30 & node -e "setInterval(() => {}, 1000)"', root, {
      deadlineMs: 1_500,
      settleMs: 100,
      maxSettleMs: 200,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exited).toBe(false);
    expect(result.durationMs).toBeGreaterThanOrEqual(1_500);
    expect(result.durationMs).toBeLessThan(2_000);
    expect(result.pid).toBeDefined();
    expect(groupAlive(result.pid!)).toBe(false);
    expect(result.spans).toEqual([]);
  });
});

describe('doctor: sampler-drops-sampled-children', { timeout: 30_000 }, () => {
  it('names a bare TraceIdRatioBasedSampler when sampled requests are answered and none of their spans arrive', async () => {
    const root = await repo(makeSampledRepo({ port: await freePort(), parentBased: false }));
    const { diagnosis, fixture } = await doctor(root);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['sampler-drops-sampled-children']);
    const [f] = diagnosis.findings;
    expect(f!.service).toBe('checkout');
    expect(f!.confidence).toBe('high');
    expect(diagnosis.services).toEqual([expect.objectContaining({ id: 'checkout', status: 'running' })]);
    const probes = fixture.started()!.probes;
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((p) => p.status === 200)).toBe(true);
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'checkout/server.js',
        line: 13,
        text: 'sampler: new TraceIdRatioBasedSampler(0),',
      }),
    );
    expect(f!.evidence.map((e) => e.note).join('\n')).toContain(
      `traceparent 00-${probes[0]!.traceId}-${probes[0]!.parentSpanId}-01 → 200: the request was answered, but no span of its sampled trace ${probes[0]!.traceId} arrived`,
    );
    // A service that listens is never run once.
    expect(await oneShotCandidates(fixture.ctx, fixture.started(), fixture.ctx.services[0]!)).toEqual([]);

    const previews = await previewProposals(root, f!.proposals);
    expect(previews.map((p) => p.problem)).toEqual([undefined]);
    expect(previews[0]!.text).toContain(
      '+  sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }),',
    );
    expect(previews[0]!.text).toContain(
      "+const { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace-base');",
    );

    const applied = await applyProposals(root, f!.proposals);
    expect(applied.results.every((r) => r.ok)).toBe(true);
    const after = await doctor(root);
    expect(after.diagnosis.findings).toEqual([]);
    expect(after.diagnosis.spansArrived).toBeGreaterThan(0);
  });

  it('finds nothing when the same ratio is wrapped in ParentBasedSampler: the sampled parents are followed', async () => {
    const root = await repo(makeSampledRepo({ port: await freePort(), parentBased: true }));
    const { diagnosis, fixture } = await doctor(root);
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
    for (const p of fixture.started()!.probes) expect(fixture.started()!.store.hasTrace(p.traceId)).toBe(true);
  });
});

describe('doctor: the same two causes read from Python and Go code', () => {
  it('finds shutdown_on_exit=False and a bare ratio sampler in Python, a missing deferred Shutdown and bare ratio samplers (Dockerfile, code) in Go, with edits that apply', async () => {
    const root = await repo(makePythonAndGoRepo());
    const { ctx } = await context(root);
    expect(ctx.services.map((s) => [s.id, s.language])).toEqual([
      ['gosvc', 'go'],
      ['py', 'python'],
    ]);
    const flush = await noFlushOnExitCause.fromRepo!(ctx);
    expect(flush.map((f) => [f.service, f.confidence])).toEqual([
      ['gosvc', 'medium'],
      ['py', 'medium'],
    ]);
    expect(flush[1]!.evidence).toContainEqual(expect.objectContaining({ file: 'py/app.py', line: 8 }));
    const sampler = await samplerDropsChildrenCause.fromRepo!(ctx);
    expect(sampler.map((f) => [f.service, f.summary])).toEqual([
      [
        'gosvc',
        expect.stringContaining(
          'OTEL_TRACES_SAMPLER=traceidratio (ratio 0.1), TraceIDRatioBased (ratio 0.1) is not parent-based',
        ),
      ],
      ['py', expect.stringContaining('TraceIdRatioBased (ratio 0.25) is not parent-based')],
    ]);
    const previews = await previewProposals(
      root,
      [...flush, ...sampler].flatMap((f) => f.proposals),
    );
    expect(previews.map((p) => [p.proposal.change.kind, p.problem])).toEqual(
      Array.from({ length: 5 }, () => ['edit', undefined]),
    );
    const text = previews.map((p) => p.text).join('\n');
    expect(text).toContain('+ENV OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1');
    expect(text).toContain('+\tdefer func() { _ = tp.Shutdown(context.Background()) }()');
    expect(text).toContain(
      '+provider = TracerProvider(resource=Resource.create({"service.name": "py"}), sampler=TraceIdRatioBased(0.25))',
    );
    expect(text).toContain('sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(0.1))))');
    expect(text).toContain('+from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased');
    expect(text).toContain('sampler=ParentBased(root=TraceIdRatioBased(0.25)), shutdown_on_exit=False)');
  });
});
