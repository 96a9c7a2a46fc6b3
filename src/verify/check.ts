import type { RepoReader } from '../repo/repo-reader.js';
import type { ScanResult, Service } from '../types/scan.js';
import type { InputValue } from '../session/schema.js';
import type { ChecklistItem, Skill } from '../skill/schema.js';
import type { CheckResult } from '../types/check-result.js';
import type { RuntimeRun } from './runtime/runtime-run.js';

/** Everything a check may look at. Checks read files and observe running things; they never change the repo. */
export interface CheckContext {
  root: string;
  skill: Skill;
  /** A fresh scan of the repo as it is now. */
  scan: ScanResult;
  inputs: Record<string, InputValue>;
  /** The services the user chose to instrument (the `services` input), or all scanned services. */
  services: Service[];
  repo: RepoReader;
  /**
   * The services started against the built-in receiver and probed, once per check run and shared by every runtime
   * check (started on first use, stopped by the runner at the end).
   */
  runtime(): Promise<RuntimeRun>;
}

/**
 * One checklist item proven for real. A check returns pass / fail / warn / skipped with a one-line summary, the evidence
 * (file and line, span ids, counts) and a concrete fix; a check that cannot run returns `skipped` and says why — it
 * never passes for lack of evidence.
 */
export interface Check {
  itemId: ChecklistItem['id'];
  run(ctx: CheckContext): Promise<CheckResult>;
}
