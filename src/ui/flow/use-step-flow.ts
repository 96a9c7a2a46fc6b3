import { useCallback, useEffect, useReducer, useState } from 'react';
import type { Key } from 'ink';
import { accepted, currentStep, isFinished, pendingNotes } from '../../session/machine.js';
import type { InputValue, Session } from '../../session/schema.js';
import { checklistFor } from '../../skill/lookup.js';
import type { Skill } from '../../skill/schema.js';
import { chosenFixes } from '../../workflow/doctor-fixes.js';
import type { GuideActions, ProposalPreview } from '../actions.js';
import { plannerLabel } from '../text.js';
import { commandFor, keyName, type FlowCommand, type KeyContext } from './keymap.js';
import {
  describeFailure,
  fixedNotice,
  LAST_STEP,
  NO_CHECKS,
  NO_TRACES,
  notesDoneNotice,
  NOTHING_TO_UNDO,
  undoneNotice,
} from './notices.js';
import { flowReducer, initialFlow, keyScreen, type FlowState } from './state.js';

export interface StepFlowDeps {
  session: Session;
  skill: Skill;
  actions: GuideActions;
  onSession(session: Session): void;
  onQuit(): void;
}

export interface StepFlowControl {
  state: FlowState;
  /** What the keymap's hints and handler know of the step. */
  ctx: KeyContext;
  /** The diffs of the review (from the plan just made, or read from the edit engine on a resume); undefined while read. */
  previews: ProposalPreview[] | undefined;
  onKey(input: string, key: Key): void;
  plan(inputs: Record<string, InputValue>): void;
  apply(only: string[]): void;
  skip(reason: string | undefined): void;
  back(label: string): void;
  close(): void;
  /** The results view's room: how far it can scroll and how many lines a page is. */
  setScrollRoom(max: number, page: number): void;
  setTyping(on: boolean): void;
  setDiffOpen(on: boolean): void;
  closeTraces(): void;
}

/**
 * The step flow's state and what it does: a reducer (src/ui/flow/state.ts) for what is on screen, the keymap
 * (src/ui/flow/keymap.ts) for which key does what, and the core's actions for every change of the session.
 */
export function useStepFlow({ session, skill, actions, onSession, onQuit }: StepFlowDeps): StepFlowControl {
  const index = session.current;
  const record = currentStep(session);
  const [state, dispatch] = useReducer(flowReducer, undefined, () => initialFlow(index, record.phase));
  const [, setTick] = useState(0);
  const [pageRows, setPageRows] = useState(10);
  const running = state.busy !== undefined;

  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [running]);
  useEffect(() => dispatch({ type: 'moved', index, phase: record.phase }), [index, record.phase]);

  const run = useCallback(
    async <T>(label: string, work: () => Promise<T>, done: (value: T) => void, checks = false) => {
      dispatch({ type: 'run-started', label, at: Date.now(), checks });
      try {
        done(await work());
      } catch (failure) {
        dispatch({ type: 'run-failed', failure: describeFailure(failure) });
      } finally {
        dispatch({ type: 'run-ended' });
      }
    },
    [],
  );
  const simple = (label: string, work: () => Promise<Session>) => void run(label, work, onSession);

  // Stable: components call them from effects.
  const close = useCallback(() => dispatch({ type: 'close' }), []);
  const setScrollRoom = useCallback((max: number, page: number) => {
    dispatch({ type: 'scroll-max', max });
    setPageRows(Math.max(1, page));
  }, []);
  const setTyping = useCallback((on: boolean) => dispatch({ type: 'typing', on }), []);
  const setDiffOpen = useCallback((on: boolean) => dispatch({ type: 'diff-open', on }), []);
  const closeTraces = useCallback(() => dispatch({ type: 'traces-open', on: false }), []);

  const proposalIds = record.proposals.map((p) => p.id).join(',');
  const planned = state.planned;
  const fromPlan =
    planned && planned.session.current === index && samePlan(planned.previews, record.proposals)
      ? planned.previews
      : undefined;
  const fromEngine = state.read?.proposalIds === proposalIds ? state.read.previews : undefined;
  // A step that proposes nothing has no diff to read.
  const previews = fromPlan ?? fromEngine ?? (record.proposals.length === 0 ? [] : undefined);
  const needsRead = record.phase === 'review' && previews === undefined;

  // A resumed review: the diffs come from the edit engine's dry run against the repo as it is now.
  useEffect(() => {
    if (!needsRead) return undefined;
    let gone = false;
    const stored = record.proposals;
    actions.preview(index).then(
      (read) => {
        if (!gone) dispatch({ type: 'previews-read', read: { proposalIds, previews: read } });
      },
      (error: unknown) => {
        if (gone) return;
        const failure = describeFailure(error);
        dispatch({ type: 'run-failed', failure });
        const problem = `the diff could not be made: ${failure.message}`;
        dispatch({
          type: 'previews-read',
          read: { proposalIds, previews: stored.map((proposal) => ({ proposal, text: problem, problem })) },
        });
      },
    );
    return () => {
      gone = true;
    };
  }, [needsRead, index, proposalIds]);

  const findings = state.findings ?? [];
  const fixes = chosenFixes(findings);
  const openNotes = pendingNotes(record);
  const writesOfStep = session.writes.filter((w) => w.step === record.id).length;
  const ctx: KeyContext = {
    phase: record.phase,
    canUndo: writesOfStep > 0,
    hasTraces: (state.observed?.spans.length ?? 0) > 0,
    hasFixes: fixes.length > 0,
    openNotes: openNotes.length > 0,
    checked: record.checks.length > 0,
    last: index === session.steps.length - 1,
    finished: isFinished(session),
  };

  const plan = (inputs: Record<string, InputValue>) =>
    void run(
      actions.planner.kind === 'model'
        ? `Planning the step with ${plannerLabel(actions.planner)}`
        : 'Planning the step',
      () => actions.plan(index, inputs),
      (view) => {
        dispatch({ type: 'planned', view });
        onSession(view.session);
      },
    );

  const apply = (only: string[]) =>
    void run(
      `Applying ${only.length} proposal(s)`,
      () => actions.apply(index, only, (event) => dispatch({ type: 'apply-progress', event, at: Date.now() })),
      (view) => onSession(view.session),
    );

  const check = () => {
    const items = checklistFor(skill, record.id, session.inputs);
    void run(
      `Checking step ${index + 1}`,
      () => actions.check(index, (event) => dispatch({ type: 'check-progress', event })),
      (view) => {
        onSession(view.session);
        dispatch({
          type: 'checked',
          observed: view.observed,
          findings: view.findings,
          ...(items.length === 0 ? { notice: NO_CHECKS } : {}),
        });
      },
      true,
    );
  };

  const perform = (command: FlowCommand) => {
    switch (command) {
      case 'quit':
        return onQuit();
      case 'help':
        return dispatch({ type: 'open', overlay: { kind: 'help' } });
      case 'ask':
        return dispatch({ type: 'open', overlay: { kind: 'ask' } });
      case 'skip':
        return dispatch({ type: 'open', overlay: { kind: 'skip' } });
      case 'close':
        return dispatch({ type: 'close' });
      case 'undo':
        return dispatch(
          ctx.canUndo ? { type: 'open', overlay: { kind: 'undo' } } : { type: 'notice', text: NOTHING_TO_UNDO },
        );
      case 'undo-confirmed':
        dispatch({ type: 'close' });
        return void run(
          `Undoing step ${index + 1}`,
          () => actions.undo(index),
          (view) => {
            onSession(view.session);
            dispatch({ type: 'undone', notice: undoneNotice(view) });
          },
        );
      case 'check':
        return check();
      case 'fix':
        return void run(
          `Applying the doctor's ${fixes.length} fix(es)`,
          () => actions.fix(fixes),
          (view) => {
            onSession(view.session);
            dispatch({ type: 'fixed', notice: fixedNotice(view) });
          },
        );
      case 'traces':
        return dispatch(ctx.hasTraces ? { type: 'traces-open', on: true } : { type: 'notice', text: NO_TRACES });
      case 'next':
        if (ctx.finished && ctx.last) return dispatch({ type: 'notice', text: LAST_STEP });
        return simple('Moving on', () => actions.next());
      case 'back':
        return simple('Going back', () => actions.back());
      case 'apply':
        return apply(accepted(record).map((p) => p.id));
      case 'notes-done':
        return void run(
          'Marking the notes done',
          () =>
            actions.markNotesDone(
              index,
              openNotes.map((p) => p.id),
            ),
          (next) => {
            onSession(next);
            dispatch({ type: 'notice', text: notesDoneNotice(openNotes) });
          },
        );
      case 'scroll-down':
        return dispatch({ type: 'scroll', by: 1 });
      case 'scroll-up':
        return dispatch({ type: 'scroll', by: -1 });
      case 'scroll-page-down':
        return dispatch({ type: 'scroll', by: pageRows });
      case 'scroll-page-up':
        return dispatch({ type: 'scroll', by: -pageRows });
      case 'scroll-top':
        return dispatch({ type: 'scroll', by: -Number.MAX_SAFE_INTEGER });
      case 'scroll-bottom':
        return dispatch({ type: 'scroll', by: Number.MAX_SAFE_INTEGER });
    }
  };

  return {
    state,
    ctx,
    previews,
    onKey(input, key) {
      const screen = keyScreen(state, record.phase);
      const command = screen ? commandFor(keyName(input, key), screen, ctx) : undefined;
      if (command) perform(command);
    },
    plan,
    apply,
    skip(reason) {
      dispatch({ type: 'close' });
      simple(`Skipping step ${index + 1}`, () => actions.skip(index, reason));
    },
    back(label) {
      simple(label, () => actions.back());
    },
    close,
    setScrollRoom,
    setTyping,
    setDiffOpen,
    closeTraces,
  };
}

function samePlan(previews: readonly ProposalPreview[], proposals: readonly { id: string }[]): boolean {
  return previews.length === proposals.length && previews.every((p, i) => p.proposal.id === proposals[i]!.id);
}
