import type { Phase } from '../../session/schema.js';
import type { CheckResult } from '../../types/check-result.js';
import type {
  ApplyProgress,
  CheckProgress,
  Finding,
  ObservedTraces,
  PlannedView,
  ProposalPreview,
} from '../actions.js';
import type { KeyScreen } from './keymap.js';

/**
 * What the step flow keeps on screen besides the session (which the core owns): the running work and its progress,
 * the plan just made, an open overlay, the last error or notice, and where the results view is scrolled. A pure
 * reducer: every change is an action, so the flow is tested without Ink (src/ui/flow/state.test.ts).
 */

export interface Busy {
  label: string;
  startedAt: number;
  /** What is being applied right now. */
  detail?: string;
  /** A command running, with when it started. */
  command?: { text: string; startedAt: number };
  /** The last line the command printed. */
  output?: string;
}

export interface LiveCheck {
  itemId: string;
  title: string;
  result?: CheckResult;
}

export type Overlay = { kind: 'help' } | { kind: 'skip' } | { kind: 'undo' } | { kind: 'ask' };

export interface Failure {
  message: string;
  /** What the user can do about it (a TraceGuideError's hint). */
  hint?: string;
}

/** The diffs of a step's stored proposals, read from the edit engine (a resumed review), under the ids they are for. */
export interface ReadPreviews {
  proposalIds: string;
  previews: ProposalPreview[];
}

export interface FlowState {
  /** The step and phase on screen: the scroll, the trace view and the doctor's findings belong to them. */
  at: { index: number; phase: Phase };
  busy?: Busy;
  /** The checks of the running check, as they start and end. */
  live?: LiveCheck[];
  planned?: PlannedView;
  read?: ReadPreviews;
  overlay?: Overlay;
  error?: Failure;
  notice?: string;
  /** A text field has the keys. */
  typing: boolean;
  /** A diff is open (esc belongs to it). */
  diffOpen: boolean;
  tracesOpen: boolean;
  /** Lines scrolled in the results view. */
  offset: number;
  /** The furthest the results view can scroll, as it last said (absent: not drawn yet). */
  scrollMax?: number;
  observed?: ObservedTraces;
  findings?: Finding[];
}

export type FlowAction =
  | { type: 'moved'; index: number; phase: Phase }
  | { type: 'run-started'; label: string; at: number; checks?: boolean }
  | { type: 'apply-progress'; event: ApplyProgress; at: number }
  | { type: 'check-progress'; event: CheckProgress }
  | { type: 'run-failed'; failure: Failure }
  | { type: 'run-ended' }
  | { type: 'planned'; view: PlannedView }
  | { type: 'previews-read'; read: ReadPreviews }
  | { type: 'checked'; observed: ObservedTraces | undefined; findings: Finding[] | undefined; notice?: string }
  | { type: 'fixed'; notice: string }
  | { type: 'undone'; notice: string }
  | { type: 'notice'; text: string }
  | { type: 'open'; overlay: Overlay }
  | { type: 'close' }
  | { type: 'typing'; on: boolean }
  | { type: 'diff-open'; on: boolean }
  | { type: 'traces-open'; on: boolean }
  | { type: 'scroll'; by: number }
  /** The results view says how far it can scroll (its lines less its height): the offset never passes it. */
  | { type: 'scroll-max'; max: number };

export function initialFlow(index: number, phase: Phase): FlowState {
  return { at: { index, phase }, typing: false, diffOpen: false, tracesOpen: false, offset: 0 };
}

export function flowReducer(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'moved': {
      if (action.index === state.at.index && action.phase === state.at.phase) return state;
      const { findings: _findings, ...rest } = state;
      // A new phase starts at the top with the trace view closed; the doctor's findings belong to their step.
      return {
        ...(action.index === state.at.index ? state : rest),
        at: { index: action.index, phase: action.phase },
        offset: 0,
        tracesOpen: false,
      };
    }
    case 'run-started': {
      const { error: _error, notice: _notice, ...rest } = state;
      return { ...rest, busy: { label: action.label, startedAt: action.at }, ...(action.checks ? { live: [] } : {}) };
    }
    case 'apply-progress':
      return state.busy ? { ...state, busy: withApplyProgress(state.busy, action.event, action.at) } : state;
    case 'check-progress': {
      const rows = state.live ?? [];
      const { event } = action;
      if (event.type === 'start')
        return { ...state, live: [...rows, { itemId: event.item.id, title: event.item.title }] };
      return {
        ...state,
        live: rows.map((row) => (row.itemId === event.item.id ? { ...row, result: event.result } : row)),
      };
    }
    case 'run-failed':
      return { ...state, error: action.failure };
    case 'run-ended': {
      const { busy: _busy, live: _live, ...rest } = state;
      return rest;
    }
    case 'planned':
      return { ...state, planned: action.view };
    case 'previews-read':
      return { ...state, read: action.read };
    case 'checked': {
      const { observed: _observed, findings: _findings, ...rest } = state;
      return {
        ...rest,
        ...(action.observed ? { observed: action.observed } : {}),
        ...(action.findings ? { findings: action.findings } : {}),
        ...(action.notice ? { notice: action.notice } : {}),
      };
    }
    case 'fixed': {
      const { findings: _findings, ...rest } = state;
      return { ...rest, notice: action.notice };
    }
    case 'undone': {
      const { planned: _planned, ...rest } = state;
      return { ...rest, notice: action.notice };
    }
    case 'notice':
      return { ...state, notice: action.text };
    case 'open':
      return { ...state, overlay: action.overlay };
    case 'close': {
      if (!state.overlay) return state;
      const { overlay: _overlay, ...rest } = state;
      return rest;
    }
    case 'typing':
      return state.typing === action.on ? state : { ...state, typing: action.on };
    case 'diff-open':
      return state.diffOpen === action.on ? state : { ...state, diffOpen: action.on };
    case 'traces-open':
      return state.tracesOpen === action.on ? state : { ...state, tracesOpen: action.on };
    case 'scroll': {
      const offset = Math.max(0, Math.min(state.offset + action.by, state.scrollMax ?? Number.MAX_SAFE_INTEGER));
      return offset === state.offset ? state : { ...state, offset };
    }
    case 'scroll-max': {
      if (state.scrollMax === action.max && state.offset <= action.max) return state;
      return { ...state, scrollMax: action.max, offset: Math.min(state.offset, action.max) };
    }
  }
}

/** The busy line follows the apply: the proposal being applied, the command it runs and its last line of output. */
function withApplyProgress(busy: Busy, event: ApplyProgress, at: number): Busy {
  if (event.type === 'start') {
    const change = event.proposal.change;
    const { command: _command, output: _output, ...rest } = busy;
    return {
      ...rest,
      detail: event.proposal.title,
      ...(change.kind === 'command' ? { command: { text: change.command, startedAt: at } } : {}),
    };
  }
  if (event.type === 'output') {
    const last = event.text.trimEnd().split('\n').pop();
    return last ? { ...busy, output: last } : busy;
  }
  return busy;
}

/**
 * Which keymap screen has the keys: an open confirmation or the help; none while work runs, a text field or a diff has
 * them, the ask panel or the trace view is open (they take their own keys); else the step's phase.
 */
export function keyScreen(state: FlowState, phase: Phase): KeyScreen | undefined {
  if (state.overlay?.kind === 'help' || state.overlay?.kind === 'undo' || state.overlay?.kind === 'skip')
    return state.overlay.kind;
  if (state.overlay?.kind === 'ask') return undefined;
  if (state.busy || state.typing || state.diffOpen || state.tracesOpen) return undefined;
  return phase;
}
