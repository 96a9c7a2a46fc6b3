import type { Proposal } from '../../types/proposal.js';
import type { FixedView, UndoneView } from '../actions.js';
import type { Failure } from './state.js';

/** The lines the step flow says after an action: what it did, and what it did not do with why. */

export function describeFailure(error: unknown): Failure {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(typeof hint === 'string' && hint ? { hint } : {}),
  };
}

export function fixedNotice(view: Pick<FixedView, 'results' | 'written'>): string {
  const failed = view.results.filter((r) => !r.ok);
  return (
    `${view.written.length} file(s) changed by the doctor's fixes${view.written.length ? ` (${view.written.join(', ')})` : ''}` +
    (failed.length
      ? `; not applied: ${failed.map((r) => `${r.proposalId}${r.message ? ` (${r.message})` : ''}`).join('; ')}`
      : '') +
    '. r checks again.'
  );
}

export function undoneNotice(view: Pick<UndoneView, 'undone' | 'failed'>): string {
  return (
    `${view.undone} file change(s) undone.` +
    (view.failed.length > 0 ? ` Not undone: ${view.failed.map((f) => `${f.path} (${f.message})`).join('; ')}` : '')
  );
}

export function notesDoneNotice(notes: readonly Pick<Proposal, 'title'>[]): string {
  return `Marked done by hand: ${notes.map((p) => p.title).join('; ')}. r checks the step again.`;
}

export const NOTHING_TO_UNDO = 'This step changed no file: there is nothing to undo.';
export const NO_TRACES = 'No traces were observed: run the checks of a step that starts the services.';
export const LAST_STEP = 'This was the last step: the guide is finished.';
export const NO_CHECKS = 'This step has no checks.';
