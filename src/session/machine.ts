import type { StepId } from '../skill/schema.js';
import { STEP_ORDER } from '../skill/load.js';
import type { Proposal } from '../types/proposal.js';
import type { CheckResult } from '../types/check-result.js';
import { unprovenRequired } from './required-checks.js';
import type { ScanResult } from '../types/scan.js';
import {
  SESSION_VERSION,
  type ApplyResult,
  type Decision,
  type AppliedWrite,
  type InputValue,
  type Phase,
  type Session,
  type StepRecord,
} from './schema.js';

/**
 * The session state machine: a pure reducer. Each step moves plan → review → apply → verify → done;
 * `next`, `back`, `skip` and `retry` move between phases and steps. A step is done only when its
 * required checks pass, or when the user explicitly skips it (recorded, and kept forever).
 * No I/O here: the caller does the planning, applying and checking, and reports the results as events.
 */
export type SessionEvent =
  | { type: 'set-inputs'; inputs: Record<string, InputValue> }
  /** `shown`: fingerprints of the proposals shown to a person as they were planned (empty when none were shown). */
  | { type: 'proposals-ready'; proposals: Proposal[]; shown?: string[] }
  | { type: 'decide'; proposalId: string; decision: Decision }
  | { type: 'decide-all'; decision: Decision }
  | { type: 'applied'; results: ApplyResult[]; writes: AppliedWrite[] }
  /** Moves to another step without changing any step's state (the rail, `plan --step N`). */
  | { type: 'goto'; index: number }
  /**
   * Files restored by undo: their writes leave the log and the steps that made them are open again (pending), and so
   * are the steps in `reopen` — steps whose verdict was reached with the undone changes in place.
   */
  | { type: 'undone'; writes: AppliedWrite[]; reopen?: StepId[] }
  /** Back to planning the current step from any phase (new inputs, files changed, the plan is stale). */
  | { type: 'replan' }
  /** Writes found in the apply journal after trace-guide was stopped mid-apply: they happened, so undo must know them. */
  | { type: 'recovered'; writes: AppliedWrite[] }
  /** Writes made by applying the doctor's fixes: logged (under each fix's step) so undo restores them; no phase moves. */
  | { type: 'fixed'; writes: AppliedWrite[] }
  | { type: 'checked'; results: CheckResult[]; required: string[] }
  /** The user made the change a note asked for, by hand (`apply --only <id> --done`, `d` in the guide). */
  | { type: 'note-done'; proposalId: string }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'skip'; confirmed: true; required: string[]; reason?: string }
  | { type: 'retry' };

export type EventType = SessionEvent['type'];

export type Transition = { ok: true; session: Session } | { ok: false; error: string };

/** Which events each phase accepts. Anything else is an illegal transition. */
export const TRANSITIONS: Readonly<Record<Phase, readonly EventType[]>> = {
  // Checks may run before anything is applied (a repo instrumented by hand): proven is proven.
  plan: ['set-inputs', 'proposals-ready', 'checked', 'back', 'skip', 'goto', 'undone', 'replan', 'recovered', 'fixed'],
  review: [
    'set-inputs',
    'decide',
    'decide-all',
    'next',
    'checked',
    'back',
    'skip',
    'retry',
    'goto',
    'undone',
    'replan',
    'recovered',
    'fixed',
  ],
  apply: ['applied', 'note-done', 'back', 'skip', 'retry', 'goto', 'undone', 'replan', 'recovered', 'fixed'],
  verify: ['checked', 'note-done', 'back', 'skip', 'retry', 'goto', 'undone', 'replan', 'recovered', 'fixed'],
  done: ['set-inputs', 'next', 'back', 'checked', 'note-done', 'goto', 'undone', 'replan', 'recovered', 'fixed'],
};

export function emptyStep(id: StepId): StepRecord {
  return {
    id,
    phase: 'plan',
    outcome: null,
    proposals: [],
    shown: [],
    decisions: {},
    applied: [],
    checks: [],
    required: [],
    checkRuns: 0,
    skips: [],
    notesDone: [],
  };
}

export interface NewSessionOptions {
  id: string;
  now: string;
  repoRoot: string;
  skill: { id: string; version: string };
  scan: ScanResult;
  inputs?: Record<string, InputValue>;
}

export function createSession(options: NewSessionOptions): Session {
  return {
    version: SESSION_VERSION,
    id: options.id,
    skill: options.skill,
    repoRoot: options.repoRoot,
    createdAt: options.now,
    updatedAt: options.now,
    inputs: options.inputs ?? {},
    scan: options.scan,
    steps: STEP_ORDER.map(emptyStep),
    current: 0,
    files: {},
    writes: [],
    history: [],
  };
}

export function currentStep(session: Session): StepRecord {
  const step = session.steps[session.current];
  if (!step) throw new Error(`session.current ${session.current} is out of range`);
  return step;
}

/** True when every step has been left either proven or skipped. */
export function isFinished(session: Session): boolean {
  return session.steps.every((step) => step.outcome !== null);
}

export type StepStatus = 'pending' | 'current' | 'done' | 'skipped' | 'failed';

/** What the step rail shows for a step. A skipped step reads as skipped even after it is reopened and proven. */
export function stepStatus(session: Session, index: number): StepStatus {
  const step = session.steps[index];
  if (!step) throw new Error(`no step at index ${index}`);
  if (step.outcome === 'skipped') return 'skipped';
  if (step.outcome === 'verified') return step.skips.length > 0 ? 'skipped' : 'done';
  if (step.phase === 'verify' && failingRequired(step).length > 0 && step.checks.length > 0) return 'failed';
  if (index === session.current) return 'current';
  return 'pending';
}

/** Required checklist items of the step that did not pass at the last run (or have not run). */
export function failingRequired(step: StepRecord): string[] {
  return unprovenRequired(step.required, step.checks);
}

/**
 * Required notes of the step that were accepted and applied (shown as "needs your edit") and not marked done yet: while
 * any is open the step is not proven, whatever its checks say.
 */
export function pendingNotes(step: StepRecord): Proposal[] {
  const applied = new Set(step.applied.map((r) => r.proposalId));
  return step.proposals.filter(
    (p) =>
      p.change.kind === 'note' &&
      p.change.required === true &&
      applied.has(p.id) &&
      !(step.notesDone ?? []).includes(p.id),
  );
}

export function undecided(step: StepRecord): Proposal[] {
  return step.proposals.filter((proposal) => step.decisions[proposal.id] === undefined);
}

export function accepted(step: StepRecord): Proposal[] {
  return step.proposals.filter((proposal) => step.decisions[proposal.id] === 'accepted');
}

function fail(error: string): Transition {
  return { ok: false, error };
}

function describe(event: SessionEvent): string | undefined {
  switch (event.type) {
    case 'proposals-ready':
      return `${event.proposals.length} proposal(s)`;
    case 'decide':
      return `${event.proposalId}: ${event.decision}`;
    case 'decide-all':
      return event.decision;
    case 'applied':
      return `${event.results.filter((r) => r.ok && r.status !== 'needs-edit' && r.status !== 'advice').length}/${event.results.length} applied${
        event.results.some((r) => r.status === 'needs-edit')
          ? `, ${event.results.filter((r) => r.status === 'needs-edit').length} need your edit`
          : ''
      }`;
    case 'note-done':
      return `${event.proposalId}: done by hand`;
    case 'checked': {
      const counts = new Map<string, number>();
      for (const result of event.results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
      return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no checks';
    }
    case 'skip':
      return event.reason;
    case 'goto':
      return `step ${event.index + 1}`;
    case 'undone':
      return `${event.writes.length} file change(s) undone`;
    case 'fixed':
      return `${event.writes.length} file change(s) by the doctor`;
    case 'set-inputs':
      return Object.keys(event.inputs).join(', ');
    default:
      return undefined;
  }
}

/**
 * Apply one event at time `now` (ISO string, passed in so the reducer stays pure).
 * Returns the new session, or an error that says why the event is not allowed here.
 */
export function reduce(session: Session, event: SessionEvent, now: string): Transition {
  const step = currentStep(session);
  const allowed = TRANSITIONS[step.phase];
  if (!allowed.includes(event.type)) {
    return fail(
      `"${event.type}" is not possible in the ${step.phase} phase of step "${step.id}" (possible: ${allowed.join(', ')})`,
    );
  }
  const result = transition(session, step, event, now);
  if (!result.ok) return result;
  const detail = describe(event);
  const entry = { at: now, step: step.id, event: event.type, ...(detail ? { detail } : {}) };
  return { ok: true, session: { ...result.session, updatedAt: now, history: [...session.history, entry] } };
}

/** The last known state of every file trace-guide wrote, from the log of applied writes (deleted files drop out). */
export function filesFrom(writes: readonly AppliedWrite[]): Session['files'] {
  const files: Session['files'] = {};
  for (const write of writes) {
    if (write.after === null) {
      delete files[write.path];
      continue;
    }
    const backup = files[write.path]?.backup ?? write.before?.backup;
    files[write.path] = {
      path: write.path,
      sha256: write.after.sha256,
      ...(backup ? { backup } : {}),
      step: write.step,
      proposalId: write.proposalId,
      writtenAt: write.at,
    };
  }
  return files;
}

function withStep(session: Session, index: number, update: Partial<StepRecord>): Session {
  const steps = session.steps.map((step, i) => (i === index ? { ...step, ...update } : step));
  return { ...session, steps };
}

function transition(session: Session, step: StepRecord, event: SessionEvent, now: string): Transition {
  const index = session.current;
  switch (event.type) {
    case 'set-inputs':
      return { ok: true, session: { ...session, inputs: { ...session.inputs, ...event.inputs } } };

    case 'proposals-ready': {
      const ids = new Set<string>();
      for (const proposal of event.proposals) {
        if (proposal.step !== step.id) {
          return fail(`proposal "${proposal.id}" belongs to step "${proposal.step}", not "${step.id}"`);
        }
        if (ids.has(proposal.id)) return fail(`two proposals share the id "${proposal.id}"`);
        ids.add(proposal.id);
      }
      return {
        ok: true,
        session: withStep(session, index, {
          phase: 'review',
          proposals: event.proposals,
          shown: event.shown ?? [],
          decisions: {},
          applied: [],
          notesDone: [],
        }),
      };
    }

    case 'decide': {
      if (!step.proposals.some((proposal) => proposal.id === event.proposalId)) {
        return fail(`step "${step.id}" has no proposal "${event.proposalId}"`);
      }
      return {
        ok: true,
        session: withStep(session, index, { decisions: { ...step.decisions, [event.proposalId]: event.decision } }),
      };
    }

    case 'decide-all': {
      const decisions = Object.fromEntries(step.proposals.map((proposal) => [proposal.id, event.decision]));
      return { ok: true, session: withStep(session, index, { decisions }) };
    }

    case 'applied': {
      const expected = new Set(accepted(step).map((proposal) => proposal.id));
      for (const result of event.results) {
        if (!expected.has(result.proposalId)) {
          return fail(`"${result.proposalId}" was not an accepted proposal of step "${step.id}"`);
        }
      }
      const writes = [...session.writes, ...event.writes];
      const allApplied = [...expected].every((id) => event.results.some((r) => r.proposalId === id && r.ok));
      const next = withStep({ ...session, writes, files: filesFrom(writes) }, index, {
        applied: event.results,
        phase: allApplied ? 'verify' : 'apply',
      });
      return { ok: true, session: next };
    }

    case 'checked': {
      // Only a pass proves an item (not warn, skipped or nothing-to-check); a required note still open blocks the step.
      const proven = unprovenRequired(event.required, event.results).length === 0 && pendingNotes(step).length === 0;
      return {
        ok: true,
        session: withStep(session, index, {
          checks: event.results,
          required: event.required,
          checkRuns: step.checkRuns + 1,
          // A done step that no longer passes is reopened at verify.
          phase: proven ? 'done' : step.phase === 'done' ? 'verify' : step.phase,
          outcome: proven ? 'verified' : null,
        }),
      };
    }

    case 'note-done': {
      const proposal = step.proposals.find((p) => p.id === event.proposalId);
      if (!proposal) return fail(`step "${step.id}" has no proposal "${event.proposalId}"`);
      if (proposal.change.kind !== 'note')
        return fail(`"${event.proposalId}" is a ${proposal.change.kind}, not a note: trace-guide applies it itself`);
      if (!step.applied.some((r) => r.proposalId === proposal.id)) {
        return fail(
          `"${event.proposalId}" was not accepted and applied in this step's last apply: apply it first, then mark it done`,
        );
      }
      const notesDone = [...new Set([...(step.notesDone ?? []), proposal.id])];
      return { ok: true, session: withStep(session, index, { notesDone }) };
    }

    case 'next': {
      if (step.phase === 'review') {
        const open = undecided(step);
        if (open.length > 0) {
          return fail(`${open.length} proposal(s) not decided yet: ${open.map((proposal) => proposal.id).join(', ')}`);
        }
        return { ok: true, session: withStep(session, index, { phase: 'apply', applied: [] }) };
      }
      // done → the next step
      if (index + 1 >= session.steps.length) return fail('this is the last step: the session is finished');
      return { ok: true, session: { ...session, current: index + 1 } };
    }

    case 'back': {
      switch (step.phase) {
        case 'plan':
          if (index === 0) return fail('this is the first step: there is nothing before it');
          return { ok: true, session: { ...session, current: index - 1 } };
        case 'review':
          return { ok: true, session: withStep(session, index, { phase: 'plan', proposals: [], decisions: {} }) };
        case 'apply':
          return { ok: true, session: withStep(session, index, { phase: 'review', applied: [] }) };
        case 'verify':
          return { ok: true, session: withStep(session, index, { phase: 'review', checks: [] }) };
        case 'done':
          // Reopen: the step is no longer proven until its checks run again. Its skips stay on record.
          return { ok: true, session: withStep(session, index, { phase: 'verify', outcome: null }) };
      }
      return fail(`cannot go back from ${step.phase}`);
    }

    case 'skip': {
      if (event.confirmed !== true) return fail('skipping a step must be confirmed');
      const record = {
        at: now,
        phase: step.phase,
        unverified: unprovenRequired(event.required, step.checks),
        ...(event.reason ? { reason: event.reason } : {}),
      };
      const skipped = withStep(session, index, { phase: 'done', outcome: 'skipped', skips: [...step.skips, record] });
      const last = index + 1 >= session.steps.length;
      return { ok: true, session: last ? skipped : { ...skipped, current: index + 1 } };
    }

    case 'goto': {
      if (!Number.isInteger(event.index) || event.index < 0 || event.index >= session.steps.length) {
        return fail(`there is no step ${event.index + 1}`);
      }
      return { ok: true, session: { ...session, current: event.index } };
    }

    case 'undone': {
      const key = (w: AppliedWrite) => `${w.path}\u0000${w.proposalId}\u0000${w.at}`;
      const gone = new Set(event.writes.map(key));
      const unknown = event.writes.find((w) => !session.writes.some((kept) => key(kept) === key(w)));
      if (unknown) return fail(`"${unknown.path}" (${unknown.proposalId}) is not an applied change of this session`);
      const writes = session.writes.filter((w) => !gone.has(key(w)));
      const reopened = new Set([...event.writes.map((w) => w.step), ...(event.reopen ?? [])]);
      const steps = session.steps.map((s) =>
        reopened.has(s.id)
          ? {
              ...s,
              phase: 'plan' as const,
              outcome: null,
              proposals: [],
              decisions: {},
              applied: [],
              checks: [],
              required: [],
            }
          : s,
      );
      const first = session.steps.findIndex((s) => reopened.has(s.id));
      const current = first === -1 ? session.current : Math.min(session.current, first);
      return { ok: true, session: { ...session, steps, writes, files: filesFrom(writes), current } };
    }

    case 'replan':
      return {
        ok: true,
        session: withStep(session, index, {
          phase: 'plan',
          outcome: null,
          proposals: [],
          decisions: {},
          applied: [],
          checks: [],
          required: [],
        }),
      };

    case 'recovered':
    case 'fixed': {
      const writes = [...session.writes, ...event.writes];
      return { ok: true, session: { ...session, writes, files: filesFrom(writes) } };
    }

    case 'retry': {
      switch (step.phase) {
        case 'review':
          return { ok: true, session: withStep(session, index, { phase: 'plan', proposals: [], decisions: {} }) };
        case 'apply':
          return { ok: true, session: withStep(session, index, { applied: [] }) };
        case 'verify':
          return { ok: true, session: withStep(session, index, { checks: [] }) };
        default:
          return fail(`nothing to retry in the ${step.phase} phase`);
      }
    }
  }
}
