import { usageError } from '../core/errors.js';
import { diagnose, type Diagnosis } from '../doctor/diagnose.js';
import { scanRepo } from '../repo/scan.js';
import { checkContextFor } from './check-context.js';
import { pendingNotes } from '../session/machine.js';
import type { Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';
import { checklistFor } from '../skill/lookup.js';
import { requiredCheckIds } from '../session/required-checks.js';
import { STEP_ORDER } from '../skill/load.js';
import type { Check, CheckContext } from '../verify/check.js';
import type { CheckResult } from '../types/check-result.js';
import type { RuntimeRun } from '../verify/runtime/runtime-run.js';
import type { ReceivedSpan } from '../verify/receiver/span.js';
import { runChecks, type CheckProgress } from '../verify/run-checks.js';

export interface CheckStepOptions {
  checks: readonly Check[];
  /** Starts the services against the built-in receiver (used by runtime checks, at most once per call). */
  startRuntime: (ctx: CheckContext) => Promise<RuntimeRun>;
  onProgress?: (step: number, event: CheckProgress) => void;
  /** When a runtime check fails, run the doctor on the same started system (before it stops) to name the cause. */
  diagnose?: boolean;
  /** Told when the doctor starts, so a screen can say so. */
  onDiagnosing?: () => void;
}

/** What the runtime checks saw, kept after the services stop: for the trace view and for diagnosis. */
export interface ObservedTraces {
  spans: ReceivedSpan[];
  /** Log lines the services wrote while they ran, with the service they came from. */
  logs: { service: string; text: string }[];
  probes: RuntimeRun['probes'];
}

export interface CheckedStep {
  index: number;
  results: CheckResult[];
  /** Required item ids of the step (given the answers). */
  required: string[];
  proven: boolean;
  /** Required notes of the step still waiting for the user's edit (they keep it from being proven). */
  openNotes?: string[];
}

/**
 * Runs the checks of the given steps (0-based indexes, in order) and records each step's results in the session: a step
 * whose required checks all pass is done. Runtime checks of all the steps share one started system, stopped at the end.
 */
export async function checkSteps(
  workspace: Workspace,
  session: Session,
  indexes: readonly number[],
  options: CheckStepOptions,
): Promise<{ session: Session; steps: CheckedStep[]; observed?: ObservedTraces; diagnosis?: Diagnosis }> {
  for (const index of indexes) {
    if (!STEP_ORDER[index]) throw usageError(`there is no step ${index + 1}: steps are 1 to ${STEP_ORDER.length}`);
  }
  const base = checkContextFor(workspace, await scanRepo(workspace.root), session.inputs);
  let started: Promise<RuntimeRun> | undefined;
  const ctx: CheckContext = { ...base, runtime: () => (started ??= options.startRuntime(ctx)) };

  const steps: CheckedStep[] = [];
  let next = session;
  let diagnosis: Diagnosis | undefined;
  try {
    for (const index of indexes) {
      const stepId = STEP_ORDER[index]!;
      const items = checklistFor(workspace.skill, stepId, next.inputs);
      const required = requiredCheckIds(workspace.skill, stepId, next.inputs);
      const results = await runChecks(ctx, items, options.checks, (event) => options.onProgress?.(index, event));
      if (next.current !== index) next = await dispatch(workspace, next, { type: 'goto', index });
      next = await dispatch(workspace, next, { type: 'checked', results, required });
      // The session's own rule decides (src/session/machine.ts): required items must pass, notes must be done.
      const proven = next.steps[index]?.outcome === 'verified';
      const openNotes = pendingNotes(next.steps[index]!).map((p) => p.id);
      steps.push({ index, results, required, proven, ...(openNotes.length > 0 ? { openNotes } : {}) });
    }
    const runtimeFailed = steps.some((step) =>
      step.results.some(
        (r) =>
          r.status === 'fail' && workspace.skill.checklist.find((item) => item.id === r.itemId)?.method === 'runtime',
      ),
    );
    if (options.diagnose && started && runtimeFailed) {
      options.onDiagnosing?.();
      diagnosis = await diagnose(ctx);
    }
  } finally {
    if (started) await (await started.catch(() => undefined))?.close();
  }
  const run = started ? await started.catch(() => undefined) : undefined;
  const observed: ObservedTraces | undefined = run
    ? {
        spans: run.store.spans(),
        logs: run.logLines().map((line) => ({ service: line.serviceId, text: line.text })),
        probes: run.probes,
      }
    : undefined;
  return { session: next, steps, ...(observed ? { observed } : {}), ...(diagnosis ? { diagnosis } : {}) };
}
