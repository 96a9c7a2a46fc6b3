import type { ApplyProgress } from '../edit/apply.js';
import type { ProposalPreview } from '../edit/preview.js';
import type { InputValue, ApplyResult, Session } from '../session/schema.js';
import type { CheckResult } from '../verify/check-result.js';
import type { CheckProgress } from '../verify/run-checks.js';
import type { ObservedTraces } from '../workflow/check-step.js';

export type { ApplyProgress, CheckProgress, ObservedTraces, ProposalPreview };

export interface PlannedView {
  session: Session;
  /** Each proposal with its diff (or command line, or note) against the repo as it is now. */
  previews: ProposalPreview[];
  /** Services that no built-in recipe of the step covers. */
  uncovered: { service: string; language: string }[];
}

export interface AppliedView {
  session: Session;
  results: ApplyResult[];
}

export interface CheckedView {
  session: Session;
  results: CheckResult[];
  /** Required checklist item ids (given the answers). */
  required: string[];
  proven: boolean;
  /** The spans, log lines and probes of the runtime checks, when they ran: for the trace view. */
  observed?: ObservedTraces;
}

export interface UndoneView {
  session: Session;
  /** How many file changes were walked back. */
  undone: number;
  failed: { path: string; message: string }[];
}

/**
 * What the guide can ask the core to do. The UI itself reads no files and runs no processes: every action is done by
 * the core (which saves the session after each event) and answers with the new session. Step indexes are 0-based.
 */
export interface GuideActions {
  start(): Promise<{ session: Session; backup: string | undefined }>;
  /** Records the answers and plans the step: its proposals with their diffs. */
  plan(index: number, inputs: Record<string, InputValue>): Promise<PlannedView>;
  /** Applies the accepted proposals (`only`), rejecting the others. */
  apply(index: number, only: string[], onProgress?: (event: ApplyProgress) => void): Promise<AppliedView>;
  /** Runs the step's checks, reporting each as it starts and ends. */
  check(index: number, onProgress?: (event: CheckProgress) => void): Promise<CheckedView>;
  /** Restores the files the step changed. */
  undo(index: number): Promise<UndoneView>;
  /** Skips the step (confirmed by the user), recording the reason and what was left unproven. */
  skip(index: number, reason: string | undefined): Promise<Session>;
  next(): Promise<Session>;
  back(): Promise<Session>;
}
