import { describe, expect, it } from 'vitest';
import { check, proposal } from '../../../test/helpers/fixtures.js';
import type { ChecklistItem } from '../../skill/schema.js';
import { flowReducer, initialFlow, keyScreen, type FlowAction, type FlowState } from './state.js';

const run = (state: FlowState, ...actions: FlowAction[]) => actions.reduce(flowReducer, state);
const item = (id: string) => ({ id, title: `title of ${id}` }) as ChecklistItem;

describe('the step flow reducer', () => {
  it('runs work: clears the last error and notice, keeps a failure, and ends not busy', () => {
    const before = run(
      initialFlow(0, 'verify'),
      { type: 'notice', text: 'old' },
      { type: 'run-failed', failure: { message: 'old error' } },
    );
    const started = run(before, { type: 'run-started', label: 'Checking step 1', at: 1000, checks: true });
    expect(started.busy).toEqual({ label: 'Checking step 1', startedAt: 1000 });
    expect(started.live).toEqual([]);
    expect(started.notice).toBeUndefined();
    expect(started.error).toBeUndefined();
    const failed = run(
      started,
      { type: 'run-failed', failure: { message: 'port busy', hint: 'free 4318' } },
      { type: 'run-ended' },
    );
    expect(failed.busy).toBeUndefined();
    expect(failed.live).toBeUndefined();
    expect(failed.error).toEqual({ message: 'port busy', hint: 'free 4318' });
  });

  it('follows the checks as they start and end, in order', () => {
    const state = run(
      initialFlow(0, 'verify'),
      { type: 'run-started', label: 'Checking step 1', at: 0, checks: true },
      { type: 'check-progress', event: { type: 'start', item: item('a') } },
      { type: 'check-progress', event: { type: 'start', item: item('b') } },
      { type: 'check-progress', event: { type: 'done', item: item('a'), result: check('a', 'pass') } },
    );
    expect(state.live).toEqual([
      { itemId: 'a', title: 'title of a', result: check('a', 'pass') },
      { itemId: 'b', title: 'title of b' },
    ]);
  });

  it('shows what an apply is doing: the proposal, the command with its start, the last output line', () => {
    const install = {
      ...proposal('install'),
      title: 'Install the SDK',
      change: { kind: 'command' as const, command: 'npm install x', cwd: '.', touches: [] },
    };
    const state = run(
      initialFlow(0, 'apply'),
      { type: 'run-started', label: 'Applying 1 proposal(s)', at: 0 },
      { type: 'apply-progress', event: { type: 'start', proposal: install }, at: 50 },
      {
        type: 'apply-progress',
        event: { type: 'output', proposal: install, text: 'resolving\nadded 42 packages\n' },
        at: 60,
      },
    );
    expect(state.busy).toEqual({
      label: 'Applying 1 proposal(s)',
      startedAt: 0,
      detail: 'Install the SDK',
      command: { text: 'npm install x', startedAt: 50 },
      output: 'added 42 packages',
    });
    // The next proposal (a file) drops the command and its output.
    const next = run(state, {
      type: 'apply-progress',
      event: { type: 'start', proposal: proposal('compose') },
      at: 70,
    });
    expect(next.busy).toEqual({ label: 'Applying 1 proposal(s)', startedAt: 0, detail: 'proposal compose' });
    // Progress after the work ended changes nothing.
    expect(
      run(next, { type: 'run-ended' }, { type: 'apply-progress', event: { type: 'start', proposal: install }, at: 80 })
        .busy,
    ).toBeUndefined();
  });

  it("starts a new phase at the top with the trace view closed; the doctor's findings last as long as their step", () => {
    const finding = {
      cause: 'no-propagator',
      service: 'api',
      summary: 's',
      evidence: [],
      confidence: 'high',
      proposals: [],
    } as never;
    const checked = run(
      initialFlow(0, 'verify'),
      { type: 'checked', observed: { spans: [], logs: [], probes: [] } as never, findings: [finding] },
      { type: 'scroll', by: 3 },
      { type: 'traces-open', on: true },
    );
    expect(checked.offset).toBe(3);
    const done = run(checked, { type: 'moved', index: 0, phase: 'done' });
    expect(done.offset).toBe(0);
    expect(done.tracesOpen).toBe(false);
    expect(done.findings).toEqual([finding]);
    const nextStep = run(done, { type: 'moved', index: 1, phase: 'plan' });
    expect(nextStep.findings).toBeUndefined();
    // The same place again is no change at all (no re-render).
    expect(run(nextStep, { type: 'moved', index: 1, phase: 'plan' })).toBe(nextStep);
  });

  it('a check run replaces the traces and findings of the last one, and says so when the step has no checks', () => {
    const first = run(initialFlow(0, 'verify'), {
      type: 'checked',
      observed: { spans: [1] } as never,
      findings: [{} as never],
    });
    const second = run(first, {
      type: 'checked',
      observed: undefined,
      findings: undefined,
      notice: 'This step has no checks.',
    });
    expect(second.observed).toBeUndefined();
    expect(second.findings).toBeUndefined();
    expect(second.notice).toBe('This step has no checks.');
  });

  it('leaves the state as it is when a flag or scroll does not change (components report them from effects)', () => {
    const state = initialFlow(0, 'plan');
    expect(run(state, { type: 'typing', on: false })).toBe(state);
    expect(run(state, { type: 'diff-open', on: false })).toBe(state);
    expect(run(state, { type: 'scroll', by: -1 })).toBe(state);
    expect(run(state, { type: 'close' })).toBe(state);
  });

  it('gives the keys to the open confirmation, and to nobody while work runs or a component has them', () => {
    const state = initialFlow(0, 'verify');
    expect(keyScreen(state, 'verify')).toBe('verify');
    expect(keyScreen(run(state, { type: 'open', overlay: { kind: 'undo' } }), 'verify')).toBe('undo');
    expect(keyScreen(run(state, { type: 'open', overlay: { kind: 'help' } }), 'verify')).toBe('help');
    expect(keyScreen(run(state, { type: 'open', overlay: { kind: 'ask' } }), 'verify')).toBeUndefined();
    expect(keyScreen(run(state, { type: 'run-started', label: 'x', at: 0 }), 'verify')).toBeUndefined();
    expect(keyScreen(run(state, { type: 'typing', on: true }), 'plan')).toBeUndefined();
    expect(keyScreen(run(state, { type: 'diff-open', on: true }), 'review')).toBeUndefined();
    expect(keyScreen(run(state, { type: 'traces-open', on: true }), 'verify')).toBeUndefined();
  });

  it('keeps the plan just made until an undo drops it', () => {
    const view = { session: {} as never, previews: [], uncovered: [] };
    const planned = run(initialFlow(0, 'plan'), { type: 'planned', view });
    expect(planned.planned).toBe(view);
    const undone = run(planned, { type: 'undone', notice: '1 file change(s) undone.' });
    expect(undone.planned).toBeUndefined();
    expect(undone.notice).toBe('1 file change(s) undone.');
  });
});
