/** What the doctor reports: one cause per finding, with its evidence and the fix as reviewable proposals. */
import type { Proposal } from '../types/proposal.js';
import type { CheckContext } from '../verify/check.js';
import type { RuntimeRun } from '../verify/runtime/runtime-run.js';

export type CauseId =
  | 'instrumentation-loaded-late'
  | 'esm-without-loader-hook'
  | 'bundled-code'
  | 'python-process-model'
  | 'exporter-endpoint-mismatch'
  | 'no-flush-on-exit'
  | 'no-propagator'
  | 'context-dropped'
  | 'service-name-missing'
  | 'otel-packages-missing'
  | 'otel-versions-mismatch'
  | 'sampler-drops-sampled-children'
  | 'no-spans-unexplained';

export interface DoctorEvidence {
  file?: string;
  line?: number;
  text?: string;
  /** What was sent, what arrived and what did not. */
  note: string;
}

export interface Finding {
  cause: CauseId;
  service?: string;
  /** The cause in one sentence. */
  summary: string;
  evidence: DoctorEvidence[];
  /** 'high' when the evidence is direct (what arrived at the receiver), lower when it is read from the code only. */
  confidence: 'high' | 'medium' | 'low';
  proposals: Proposal[];
}

export interface Cause {
  id: CauseId;
  /** Read from the repo only (lint): runs first, never starts anything. */
  fromRepo?(ctx: CheckContext): Promise<Finding[]>;
  /** From the one shared runtime run: what arrived at the receiver and what did not. */
  fromRun?(ctx: CheckContext, run: RuntimeRun): Promise<Finding[]>;
  /**
   * Why the run contradicts one of this cause's repo findings (e.g. spans arrived through the very setting it blames),
   * or undefined when it does not. A contradicted finding is dropped, with its proposals: a fix is only proposed for
   * what the run did not disprove.
   */
  refutedBy?(ctx: CheckContext, run: RuntimeRun, finding: Finding): string | undefined;
}
