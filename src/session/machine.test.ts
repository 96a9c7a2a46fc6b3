import { describe, expect, it } from 'vitest';
import { check, newSession, NOW, proposal } from '../../test/helpers/fixtures.js';
import { currentStep, filesFrom, isFinished, reduce, stepStatus, TRANSITIONS, type SessionEvent } from './machine.js';
import type { Session } from './schema.js';

const LATER = '2026-11-25T12:05:00.000Z';

function run(session: Session, ...events: SessionEvent[]): Session {
  let state = session;
  for (const event of events) {
    const result = reduce(state, event, LATER);
    if (!result.ok) throw new Error(`unexpected rejection of ${event.type}: ${result.error}`);
    state = result.session;
  }
  return state;
}

function rejects(session: Session, event: SessionEvent): string {
  const result = reduce(session, event, LATER);
  if (result.ok) throw new Error(`expected ${event.type} to be rejected`);
  return result.error;
}

const REQUIRED = ['backend-accepts-otlp', 'backend-receives-spans'];
const skip = (reason?: string): SessionEvent => ({
  type: 'skip',
  confirmed: true,
  required: REQUIRED,
  ...(reason ? { reason } : {}),
});

/** Drives the current step from plan to done with passing checks. */
function completeStep(session: Session): Session {
  const id = currentStep(session).id;
  return run(
    session,
    { type: 'proposals-ready', proposals: [proposal(`${id}-a`, id)] },
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    { type: 'applied', results: [{ proposalId: `${id}-a`, ok: true }], writes: [] },
    { type: 'checked', results: REQUIRED.map((item) => check(item, 'pass')), required: REQUIRED },
  );
}

describe('session state machine', () => {
  it('starts at step 1 in the plan phase with nothing decided', () => {
    const session = newSession();
    expect(session.current).toBe(0);
    expect(currentStep(session)).toMatchObject({ id: 'backend', phase: 'plan', outcome: null });
    expect(stepStatus(session, 0)).toBe('current');
    expect(stepStatus(session, 1)).toBe('pending');
  });

  it('walks plan → review → apply → verify → done and records history', () => {
    const session = newSession();
    const review = run(session, { type: 'proposals-ready', proposals: [proposal('a'), proposal('b')] });
    expect(currentStep(review).phase).toBe('review');

    const decided = run(
      review,
      { type: 'decide', proposalId: 'a', decision: 'accepted' },
      { type: 'decide', proposalId: 'b', decision: 'rejected' },
    );
    const apply = run(decided, { type: 'next' });
    expect(currentStep(apply).phase).toBe('apply');

    const sha = 'a'.repeat(64);
    const verify = run(apply, {
      type: 'applied',
      results: [{ proposalId: 'a', ok: true }],
      writes: [{ path: 'a.txt', step: 'backend', proposalId: 'a', before: null, after: { sha256: sha }, at: LATER }],
    });
    expect(currentStep(verify).phase).toBe('verify');
    expect(verify.files['a.txt']).toEqual({
      path: 'a.txt',
      sha256: sha,
      step: 'backend',
      proposalId: 'a',
      writtenAt: LATER,
    });
    expect(verify.writes).toHaveLength(1);

    const done = run(verify, {
      type: 'checked',
      results: REQUIRED.map((item) => check(item, 'pass')),
      required: REQUIRED,
    });
    expect(currentStep(done)).toMatchObject({ phase: 'done', outcome: 'verified', checkRuns: 1 });
    expect(stepStatus(done, 0)).toBe('done');
    expect(done.history.map((entry) => entry.event)).toEqual([
      'proposals-ready',
      'decide',
      'decide',
      'next',
      'applied',
      'checked',
    ]);
    expect(done.updatedAt).toBe(LATER);
    expect(session.updatedAt).toBe(NOW); // the input is never mutated

    const second = run(done, { type: 'next' });
    expect(second.current).toBe(1);
    expect(currentStep(second)).toMatchObject({ id: 'auto-instrumentation', phase: 'plan' });
  });

  it('is not done while a required check fails, a warning or a missing result', () => {
    const atVerify = run(
      newSession(),
      { type: 'proposals-ready', proposals: [] },
      { type: 'next' },
      { type: 'applied', results: [], writes: [] },
    );
    const failing = run(atVerify, {
      type: 'checked',
      results: [check(REQUIRED[0]!, 'pass'), check(REQUIRED[1]!, 'fail')],
      required: REQUIRED,
    });
    expect(currentStep(failing)).toMatchObject({ phase: 'verify', outcome: null });
    expect(stepStatus(failing, 0)).toBe('failed');

    const warned = run(atVerify, {
      type: 'checked',
      results: [check(REQUIRED[0]!, 'pass'), check(REQUIRED[1]!, 'warn')],
      required: REQUIRED,
    });
    expect(currentStep(warned).outcome).toBeNull();

    const missing = run(atVerify, { type: 'checked', results: [check(REQUIRED[0]!, 'pass')], required: REQUIRED });
    expect(currentStep(missing).outcome).toBeNull();

    expect(rejects(failing, { type: 'next' })).toMatch(/not possible in the verify phase/);
  });

  it('lets a failing optional check warn without blocking the step', () => {
    const atVerify = run(
      newSession(),
      { type: 'proposals-ready', proposals: [] },
      { type: 'next' },
      { type: 'applied', results: [], writes: [] },
    );
    const done = run(atVerify, {
      type: 'checked',
      results: [...REQUIRED.map((item) => check(item, 'pass')), check('retention-matches-policy', 'fail')],
      required: REQUIRED,
    });
    expect(currentStep(done).outcome).toBe('verified');
  });

  it('refuses to apply until every proposal is decided', () => {
    const review = run(
      newSession(),
      { type: 'proposals-ready', proposals: [proposal('a'), proposal('b')] },
      { type: 'decide', proposalId: 'a', decision: 'accepted' },
    );
    expect(rejects(review, { type: 'next' })).toMatch(/1 proposal\(s\) not decided yet: b/);
  });

  it('stays in apply when an accepted proposal failed to apply, and retry clears the results', () => {
    const apply = run(
      newSession(),
      { type: 'proposals-ready', proposals: [proposal('a')] },
      { type: 'decide-all', decision: 'accepted' },
      { type: 'next' },
    );
    const failed = run(apply, {
      type: 'applied',
      results: [{ proposalId: 'a', ok: false, message: 'old text not found' }],
      writes: [],
    });
    expect(currentStep(failed)).toMatchObject({ phase: 'apply', applied: [{ proposalId: 'a', ok: false }] });
    const retried = run(failed, { type: 'retry' });
    expect(currentStep(retried)).toMatchObject({ phase: 'apply', applied: [] });
  });

  it('rejects results for proposals that were not accepted, and proposals of another step', () => {
    const apply = run(
      newSession(),
      { type: 'proposals-ready', proposals: [proposal('a'), proposal('b')] },
      { type: 'decide', proposalId: 'a', decision: 'accepted' },
      { type: 'decide', proposalId: 'b', decision: 'rejected' },
      { type: 'next' },
    );
    expect(rejects(apply, { type: 'applied', results: [{ proposalId: 'b', ok: true }], writes: [] })).toMatch(
      /not an accepted proposal/,
    );
    expect(rejects(newSession(), { type: 'proposals-ready', proposals: [proposal('x', 'sampling')] })).toMatch(
      /belongs to step "sampling"/,
    );
    expect(rejects(newSession(), { type: 'proposals-ready', proposals: [proposal('x'), proposal('x')] })).toMatch(
      /share the id/,
    );
    const review = run(newSession(), { type: 'proposals-ready', proposals: [proposal('a')] });
    expect(rejects(review, { type: 'decide', proposalId: 'nope', decision: 'accepted' })).toMatch(/no proposal "nope"/);
  });

  it('goes back one phase at a time, and from a step’s plan to the previous step', () => {
    const review = run(newSession(), { type: 'proposals-ready', proposals: [proposal('a')] });
    expect(currentStep(run(review, { type: 'back' }))).toMatchObject({ phase: 'plan', proposals: [] });

    const apply = run(review, { type: 'decide-all', decision: 'accepted' }, { type: 'next' });
    expect(currentStep(run(apply, { type: 'back' })).phase).toBe('review');

    const verify = run(apply, { type: 'applied', results: [{ proposalId: 'a', ok: true }], writes: [] });
    expect(currentStep(run(verify, { type: 'back' })).phase).toBe('review');

    const onStep2 = run(completeStep(newSession()), { type: 'next' });
    const backToStep1 = run(onStep2, { type: 'back' });
    expect(backToStep1.current).toBe(0);
    const reopened = run(backToStep1, { type: 'back' });
    expect(currentStep(reopened)).toMatchObject({ phase: 'verify', outcome: null });

    expect(rejects(newSession(), { type: 'back' })).toMatch(/first step/);
  });

  it('records a skip with the unproven checks, moves on, and keeps showing it as skipped', () => {
    const skipped = run(newSession(), skip('no docker here'));
    expect(skipped.current).toBe(1);
    const step = skipped.steps[0]!;
    expect(step).toMatchObject({ phase: 'done', outcome: 'skipped' });
    expect(step.skips).toEqual([{ at: LATER, phase: 'plan', reason: 'no docker here', unverified: REQUIRED }]);
    expect(stepStatus(skipped, 0)).toBe('skipped');

    // Reopen the skipped step and prove it: the skip stays on record and in the rail.
    const reopened = run(skipped, { type: 'back' }, { type: 'back' });
    expect(reopened.current).toBe(0);
    const proven = run(reopened, {
      type: 'checked',
      results: REQUIRED.map((item) => check(item, 'pass')),
      required: REQUIRED,
    });
    expect(proven.steps[0]!.outcome).toBe('verified');
    expect(proven.steps[0]!.skips).toHaveLength(1);
    expect(stepStatus(proven, 0)).toBe('skipped');
  });

  it('records only the failing checks when skipping in verify', () => {
    const atVerify = run(
      newSession(),
      { type: 'proposals-ready', proposals: [] },
      { type: 'next' },
      { type: 'applied', results: [], writes: [] },
    );
    const failing = run(atVerify, {
      type: 'checked',
      results: [check(REQUIRED[0]!, 'pass'), check(REQUIRED[1]!, 'fail')],
      required: REQUIRED,
    });
    const skipped = run(failing, skip());
    expect(skipped.steps[0]!.skips[0]).toMatchObject({ phase: 'verify', unverified: [REQUIRED[1]] });
  });

  it('requires a skip to be confirmed', () => {
    const event = { type: 'skip', confirmed: false, required: [] } as unknown as SessionEvent;
    expect(rejects(newSession(), event)).toMatch(/confirmed/);
  });

  it('retry re-plans from review and clears check results in verify', () => {
    const review = run(newSession(), { type: 'proposals-ready', proposals: [proposal('a')] });
    expect(currentStep(run(review, { type: 'retry' }))).toMatchObject({ phase: 'plan', proposals: [] });
    const atVerify = run(
      review,
      { type: 'decide-all', decision: 'rejected' },
      { type: 'next' },
      { type: 'applied', results: [], writes: [] },
    );
    const failing = run(atVerify, { type: 'checked', results: [check(REQUIRED[0]!, 'fail')], required: REQUIRED });
    expect(currentStep(run(failing, { type: 'retry' }))).toMatchObject({ phase: 'verify', checks: [], checkRuns: 1 });
    expect(rejects(newSession(), { type: 'retry' })).toMatch(/not possible in the plan phase/);
  });

  it('finishes after the sixth step and refuses to go past it', () => {
    let session = newSession();
    for (let i = 0; i < 6; i += 1) {
      session = completeStep(session);
      if (i < 5) session = run(session, { type: 'next' });
    }
    expect(isFinished(session)).toBe(true);
    expect(rejects(session, { type: 'next' })).toMatch(/last step/);
    expect(rejects(session, skip())).toMatch(/not possible in the done phase/);
  });

  it('accepts exactly the events of its transition table in each phase', () => {
    const samples: SessionEvent[] = [
      { type: 'set-inputs', inputs: { backend: 'local' } },
      { type: 'proposals-ready', proposals: [] },
      { type: 'decide-all', decision: 'accepted' },
      { type: 'applied', results: [], writes: [] },
      { type: 'checked', results: [], required: [] },
      { type: 'next' },
      { type: 'back' },
      skip(),
      { type: 'retry' },
    ];
    const byPhase: Record<string, Session> = {
      plan: run(
        newSession(),
        { type: 'proposals-ready', proposals: [proposal('a')] },
        { type: 'back' },
        { type: 'set-inputs', inputs: {} },
      ),
      review: run(newSession(), { type: 'proposals-ready', proposals: [] }),
      apply: run(newSession(), { type: 'proposals-ready', proposals: [] }, { type: 'next' }),
      verify: run(
        newSession(),
        { type: 'proposals-ready', proposals: [] },
        { type: 'next' },
        { type: 'applied', results: [], writes: [] },
      ),
      done: completeStep(newSession()),
    };
    for (const [phase, session] of Object.entries(byPhase)) {
      // Use step 2 for "back" in plan so that it is legal there.
      for (const event of samples) {
        const allowed = TRANSITIONS[phase as keyof typeof TRANSITIONS].includes(event.type);
        const result = reduce(session, event, LATER);
        if (!allowed) expect(result.ok, `${event.type} in ${phase}`).toBe(false);
        if (!result.ok && allowed) expect(result.error, `${event.type} in ${phase}`).not.toMatch(/is not possible/);
      }
    }
  });
});

describe('goto and undone', () => {
  const sha = (c: string) => c.repeat(64);
  const write = (
    path: string,
    step: 'backend' | 'auto-instrumentation',
    before: string | null,
    after: string,
    at: string,
  ) => ({
    path,
    step,
    proposalId: `${step}-p`,
    before: before ? { sha256: sha(before), backup: `.trace-guide/backups/${sha(before)}` } : null,
    after: { sha256: sha(after) },
    at,
  });

  it('moves to any step without touching its state, and refuses a step that does not exist', () => {
    const at3 = run(newSession(), { type: 'goto', index: 2 });
    expect(at3.current).toBe(2);
    expect(at3.steps[0]).toEqual(newSession().steps[0]);
    expect(rejects(newSession(), { type: 'goto', index: 6 })).toMatch(/no step 7/);
  });

  it('drops undone writes from the log, recomputes the written files and reopens the step that made them', () => {
    const w1 = write('a.txt', 'backend', null, 'a', NOW);
    const w2 = write('a.txt', 'auto-instrumentation', 'a', 'b', LATER);
    const base = { ...newSession(), writes: [w1, w2], files: filesFrom([w1, w2]), current: 1 };
    expect(base.files['a.txt']?.sha256).toBe(sha('b'));
    const undone = run(base, { type: 'undone', writes: [w2] });
    expect(undone.writes).toEqual([w1]);
    expect(undone.files['a.txt']?.sha256).toBe(sha('a'));
    expect(undone.steps[1]).toMatchObject({ phase: 'plan', outcome: null, proposals: [] });
    const all = run(undone, { type: 'undone', writes: [w1] });
    expect(all.files).toEqual({});
    expect(all.current).toBe(0);
    expect(rejects(all, { type: 'undone', writes: [w1] })).toMatch(/not an applied change/);
  });
});

describe('checks outside the verify phase', () => {
  it('proves a step instrumented by hand straight from plan, and reopens a done step whose checks now fail', () => {
    const required = ['a-item'];
    const proven = run(newSession(), { type: 'checked', results: [check('a-item', 'pass')], required });
    expect(currentStep(proven)).toMatchObject({ phase: 'done', outcome: 'verified' });
    const failing = run(proven, { type: 'checked', results: [check('a-item', 'fail')], required });
    expect(currentStep(failing)).toMatchObject({ phase: 'verify', outcome: null });
    const notYet = run(newSession(), { type: 'checked', results: [check('a-item', 'fail')], required });
    expect(currentStep(notYet)).toMatchObject({ phase: 'plan', outcome: null, checkRuns: 1 });
  });
});
