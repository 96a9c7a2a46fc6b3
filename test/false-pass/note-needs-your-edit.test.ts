/**
 * Issue 14 item 2: a note proposal is never ✓. Applying it changes nothing, reports "needs-edit", and a required note
 * keeps its step from being proven — even with every required check passing — until the user marks it done.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyProposals } from '../../src/edit/apply.js';
import { applyResultLine } from '../../src/cli/format/apply-result-mark.js';
import type { Proposal } from '../../src/types/proposal.js';
import { pendingNotes, reduce, type SessionEvent } from '../../src/session/machine.js';
import type { Session } from '../../src/session/schema.js';
import { check, newSession } from '../helpers/fixtures.js';
import { rm } from 'node:fs/promises';

const NOW = '2026-12-03T10:00:00.000Z';
const REQUIRED = ['backend-accepts-otlp'];

function startSdkNote(required: boolean): Proposal {
  return {
    id: 'orders:start-sdk',
    step: 'backend',
    title: 'Start OpenTelemetry where the app is built',
    why: 'No single top-level app object was found to edit safely.',
    change: {
      kind: 'note',
      text: 'Add this right after create_app() builds the app: ...',
      ...(required ? { required: true } : {}),
    },
    source: 'recipe',
    after: [],
  };
}

function run(session: Session, ...events: SessionEvent[]): Session {
  let state = session;
  for (const event of events) {
    const result = reduce(state, event, NOW);
    if (!result.ok) throw new Error(`${event.type} rejected: ${result.error}`);
    state = result.session;
  }
  return state;
}

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('a note is never reported as applied', () => {
  it('applying a note writes nothing and says needs-edit, not applied', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tg-note-'));
    roots.push(root);
    const outcome = await applyProposals(root, [startSdkNote(true)], { runCommands: false });
    expect(outcome.writes).toEqual([]);
    expect(await readdir(root)).toEqual([]);
    expect(outcome.results).toHaveLength(1);
    expect(outcome.results[0]).toMatchObject({ proposalId: 'orders:start-sdk', status: 'needs-edit' });
    expect(outcome.results[0]!.status).not.toBe('applied');
    expect(outcome.results[0]!.message).toMatch(/needs your edit/);
    expect(outcome.results[0]!.message).toMatch(/--only orders:start-sdk --done/);
    // The text output of apply and doctor: ✎, never ✓.
    expect(applyResultLine(outcome.results[0]!)).toMatch(/^✎ orders:start-sdk: needs your edit/);
  });

  it('an advisory note is reported as advice: nothing changed, never ✓', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tg-note-'));
    roots.push(root);
    const outcome = await applyProposals(root, [startSdkNote(false)], { runCommands: false });
    expect(outcome.writes).toEqual([]);
    expect(outcome.results[0]).toMatchObject({ status: 'advice' });
    expect(applyResultLine(outcome.results[0]!)).toMatch(/^· orders:start-sdk: advice/);
  });
});

describe('a step with a required note open is not proven', () => {
  const applied = (required: boolean) =>
    run(
      newSession(),
      { type: 'proposals-ready', proposals: [startSdkNote(required)] },
      { type: 'decide-all', decision: 'accepted' },
      { type: 'next' },
      {
        type: 'applied',
        results: [{ proposalId: 'orders:start-sdk', ok: true, status: required ? 'needs-edit' : 'advice' }],
        writes: [],
      },
    );

  it('all required checks pass, the required note is undone: not proven', () => {
    const session = run(applied(true), {
      type: 'checked',
      results: REQUIRED.map((id) => check(id, 'pass')),
      required: REQUIRED,
    });
    expect(session.steps[0]!.outcome).toBeNull();
    expect(session.steps[0]!.phase).toBe('verify');
    expect(pendingNotes(session.steps[0]!).map((p) => p.id)).toEqual(['orders:start-sdk']);
  });

  it('once the user marks the note done, passing checks prove the step', () => {
    const session = run(
      applied(true),
      { type: 'note-done', proposalId: 'orders:start-sdk' },
      { type: 'checked', results: REQUIRED.map((id) => check(id, 'pass')), required: REQUIRED },
    );
    expect(session.steps[0]!.outcome).toBe('verified');
  });

  it('an advisory (not required) note does not block the step', () => {
    const session = run(applied(false), {
      type: 'checked',
      results: REQUIRED.map((id) => check(id, 'pass')),
      required: REQUIRED,
    });
    expect(session.steps[0]!.outcome).toBe('verified');
  });

  it('only a note can be marked done, and only after it was applied', () => {
    const planned = run(newSession(), { type: 'proposals-ready', proposals: [startSdkNote(true)] });
    const early = reduce(planned, { type: 'note-done', proposalId: 'orders:start-sdk' }, NOW);
    expect(early.ok).toBe(false);
    const notANote = run(
      newSession(),
      {
        type: 'proposals-ready',
        proposals: [{ ...startSdkNote(true), change: { kind: 'create', path: 'a.txt', content: 'x' } }],
      },
      { type: 'decide-all', decision: 'accepted' },
      { type: 'next' },
      { type: 'applied', results: [{ proposalId: 'orders:start-sdk', ok: true, status: 'applied' }], writes: [] },
    );
    const refused = reduce(notANote, { type: 'note-done', proposalId: 'orders:start-sdk' }, NOW);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatch(/not a note/);
  });
});

describe('nothing to check never proves a required item', () => {
  it.each(['nothing-to-check', 'skipped', 'warn'] as const)(
    'a required check that is %s leaves the step unproven',
    (status) => {
      const session = run(newSession(), {
        type: 'checked',
        results: [check(REQUIRED[0]!, status)],
        required: REQUIRED,
      });
      expect(session.steps[0]!.outcome).toBeNull();
    },
  );
});
