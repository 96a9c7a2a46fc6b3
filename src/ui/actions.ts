import type { ApplyProgress } from '../edit/apply.js';
import type { ProposalPreview } from '../edit/preview.js';
import type { InputValue, ApplyResult, Session } from '../session/schema.js';
import type { CheckResult } from '../types/check-result.js';
import type { CheckProgress } from '../verify/run-checks.js';
import type { ObservedTraces } from '../workflow/check-step.js';
import type { Finding } from '../doctor/finding.js';
import type { Proposal } from '../types/proposal.js';

export type { ApplyProgress, CheckProgress, Finding, ObservedTraces, ProposalPreview };

export interface PlannedView {
  session: Session;
  /** Each proposal with its diff (or command line, or note) against the repo as it is now. */
  previews: ProposalPreview[];
  /** Services that no built-in recipe of the step covers. */
  uncovered: { service: string; language: string }[];
  /** Services the recipes proposed nothing for, with why and what to do by hand (absent: none). */
  nothingProposed?: { service: string; reason: string }[];
  /** Which planner made the proposals (absent: the recipes). */
  planner?: 'recipes' | 'model';
  /** Tokens and turns the model planner spent (only with the model planner). */
  usage?: PlanUsage;
  /** The model's one-line summary of its plan, when it gave one. */
  summary?: string;
}

/** The planner the guide uses, chosen from the environment when the guide starts. */
export type PlannerInfo = { kind: 'recipes' } | { kind: 'model'; model: string };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface PlanUsage extends TokenUsage {
  model: string;
  turns: number;
  stoppedBy: string;
}

/**
 * The answer to a question asked at a step. Offline: the best passages of the reference pages (already formatted) and
 * the hint that a key gives fuller answers. With a key: Claude's text (streamed through onText first) and its usage.
 */
export type AnswerView =
  | { mode: 'offline'; text: string; hint: string }
  | { mode: 'model'; model: string; text: string; usage: TokenUsage };

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
  /** When a runtime check failed: the doctor's findings on the same run (cause, evidence, fixes). */
  findings?: Finding[];
}

export interface FixedView {
  session: Session;
  results: ApplyResult[];
  /** Files the fixes wrote. */
  written: string[];
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
  /** The planner `plan` uses: shown in the header. */
  readonly planner: PlannerInfo;
  start(): Promise<{ session: Session; backup: string | undefined }>;
  /** Records the answers and plans the step: its proposals with their diffs. */
  plan(index: number, inputs: Record<string, InputValue>): Promise<PlannedView>;
  /** The diffs of step `index`'s stored proposals against the repo as it is now (the edit engine's dry run): a resumed review. */
  preview(index: number): Promise<ProposalPreview[]>;
  /** Applies the accepted proposals (`only`), rejecting the others. */
  apply(index: number, only: string[], onProgress?: (event: ApplyProgress) => void): Promise<AppliedView>;
  /** Runs the step's checks, reporting each as it starts and ends. */
  check(index: number, onProgress?: (event: CheckProgress) => void): Promise<CheckedView>;
  /** Applies the doctor's fixes (backed up, logged for undo like any applied change). */
  fix(proposals: Proposal[]): Promise<FixedView>;
  /** Restores the files the step changed. */
  undo(index: number): Promise<UndoneView>;
  /** Skips the step (confirmed by the user), recording the reason and what was left unproven. */
  skip(index: number, reason: string | undefined): Promise<Session>;
  /** Records that the user made the changes these notes asked for (nothing is written); the checks still decide. */
  markNotesDone(index: number, ids: string[]): Promise<Session>;
  /** Answers a question about step `index` from its reference page (and, with a key, the repo); text streams to onText. */
  ask(index: number, question: string, onText?: (text: string) => void): Promise<AnswerView>;
  next(): Promise<Session>;
  back(): Promise<Session>;
}
