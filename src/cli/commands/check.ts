import { checkSavePath, savedLine, saveSnapshot } from '../../snapshot/save.js';
import { openWorkspace } from '../../session/workspace.js';
import { getStep } from '../../skill/lookup.js';
import { STEP_ORDER } from '../../skill/load.js';
import { ALL_CHECKS } from '../../verify/registry.js';
import { startRuntimeRun, type RuntimeRunTimings } from '../../verify/runtime/runtime-run.js';
import type { SpanStore } from '../../verify/receiver/span-store.js';
import { checkSteps } from '../../workflow/check-step.js';
import { sessionForRepo } from '../../workflow/session-for-repo.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatCheckedSteps } from '../format/checks-text.js';
import { findingLines } from '../format/doctor-text.js';
import { previewFindings } from '../../workflow/doctor-fixes.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide check [--step N]`: proves a step (or every step) with its checklist's checks and records the results; a
 * step whose required checks pass is done. Exit 1 when a required check did not pass. `--save FILE` writes the spans the
 * runtime run received as OTLP JSON lines (nothing is written when no runtime check ran).
 */
export async function runCheck(args: ParsedArgs): Promise<number> {
  if (args.save !== undefined) checkSavePath(args.save);
  const workspace = await openWorkspace(args.dir);
  const { session } = await sessionForRepo(workspace);
  const indexes = args.step !== undefined ? [args.step] : STEP_ORDER.map((_, i) => i);
  let runtimeTimings: RuntimeRunTimings | undefined;
  let received: SpanStore | undefined;
  const { steps, diagnosis } = await checkSteps(workspace, session, indexes, {
    checks: ALL_CHECKS,
    diagnose: true,
    onDiagnosing: () => progress('a runtime check failed: running the doctor on the same services …'),
    startRuntime: (ctx) => {
      progress('starting the services against the built-in receiver …');
      return startRuntimeRun(ctx).then((run) => {
        runtimeTimings = run.timings;
        received = run.store;
        return run;
      });
    },
    onProgress: args.json
      ? undefined
      : (step, event) => {
          if (event.type === 'start') progress(`step ${step + 1}: checking ${event.item.title} …`);
        },
  });
  const proven = steps.every((s) => s.proven);
  if (args.save !== undefined) {
    progress(
      received
        ? savedLine(await saveSnapshot(args.save, received.spans()))
        : `nothing saved to ${args.save}: no runtime check ran (the services were not started)`,
    );
  }
  if (args.json) {
    writeJson({
      ok: proven,
      steps: steps.map((s) => ({
        number: s.index + 1,
        id: STEP_ORDER[s.index],
        title: getStep(workspace.skill, STEP_ORDER[s.index]!).title,
        proven: s.proven,
        required: s.required,
        requiredNotesOpen: s.openNotes ?? [],
        results: s.results,
      })),
      ...(diagnosis ? { diagnosis: { spansArrived: diagnosis.spansArrived, findings: diagnosis.findings } } : {}),
      // Where the runtime run's time went (milliseconds), when one ran: bench/first-trace.mjs reads it.
      ...(runtimeTimings ? { runtimeTimings } : {}),
    });
  } else {
    let text = formatCheckedSteps(workspace.skill, steps);
    if (diagnosis && diagnosis.findings.length > 0) {
      const previewed = await previewFindings(workspace.root, diagnosis.findings);
      text += [
        '',
        '',
        'A runtime check failed; the doctor names the cause:',
        '',
        ...findingLines(previewed),
        'Apply its fixes with: trace-guide doctor --yes',
      ].join('\n');
    }
    writeText(text);
  }
  return proven ? EXIT.ok : EXIT.checksFailed;
}
