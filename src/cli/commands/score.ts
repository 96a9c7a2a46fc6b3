import { usageError } from '../../core/errors.js';
import type { ApplyOutcome } from '../../edit/apply.js';
import { checkSavePath, savedLine, saveSnapshot } from '../../snapshot/save.js';
import { scanRepo } from '../../repo/scan.js';
import { scoreRun, scoreSavedRun, type RepoScore } from '../../score/score-repo.js';
import { findSession, openWorkspace, type Workspace } from '../../session/workspace.js';
import type { CheckContext } from '../../verify/check.js';
import { startRuntimeRun } from '../../verify/runtime/runtime-run.js';
import { checkContextFor } from '../../workflow/check-context.js';
import { applyDoctorFixes } from '../../workflow/doctor-fixes.js';
import { applyResultLine } from '../format/apply-result-mark.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatScore } from '../format/score-text.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide score [dir] [--min N] [--json]`: the Instrumentation Score of what really arrived — the runtime run `check`
 * uses, every rule over the spans, evidence and fixes per failed rule. `--from FILE` scores a saved run (OTLP JSON lines)
 * instead, starting nothing. `--yes` applies the fixes that are edits (not notes) through the apply engine, as the
 * doctor's are (undo restores them). `--save FILE` writes the spans the run received as OTLP JSON lines. Exit 1 below --min N (or with no score at all); the score is the one measured before
 * any fix.
 */
export async function runScore(args: ParsedArgs): Promise<number> {
  if (args.from !== undefined) {
    if (args.yes)
      throw usageError(
        '--yes applies fixes to a repository; --from scores a saved file',
        'score the repository (without --from) to apply its fixes',
      );
    return printScore(await scoreSavedRun(args.from), args);
  }
  if (args.save !== undefined) checkSavePath(args.save);
  const workspace = await openWorkspace(args.dir);
  const scored = await scoreRepo(workspace, args.save);
  const fixes = scored.fixes.flatMap((f) => f.proposals).filter((p) => p.change.kind !== 'note');
  const outcome = args.yes && fixes.length > 0 ? (await applyDoctorFixes(workspace, fixes)).outcome : undefined;
  return printScore(scored, args, outcome);
}

async function scoreRepo(workspace: Workspace, save: string | undefined): Promise<RepoScore> {
  // The session's answers (services chosen, probes, OTLP protocol) when there is one; score starts none.
  const existing = await findSession(workspace);
  if (existing.kind === 'unusable') throw existing.error;
  const inputs = existing.kind === 'found' ? existing.session.inputs : {};
  const base = checkContextFor(workspace, await scanRepo(workspace.root), inputs);
  let started: ReturnType<typeof startRuntimeRun> | undefined;
  const ctx: CheckContext = {
    ...base,
    runtime: () => {
      progress('starting the services against the built-in receiver …');
      return (started ??= startRuntimeRun(ctx));
    },
  };
  let scored: RepoScore;
  try {
    const run = await ctx.runtime();
    scored = await scoreRun(ctx, run);
    if (save !== undefined) progress(savedLine(await saveSnapshot(save, run.store.spans())));
  } finally {
    if (started) await (await started.catch(() => undefined))?.close();
  }
  return scored;
}

function printScore(scored: RepoScore, args: ParsedArgs, outcome?: ApplyOutcome): number {
  const { report } = scored;
  const below = report.score === null || (args.min !== undefined && report.score < args.min);
  if (args.json) {
    writeJson({
      ok: !below,
      score: report.score,
      band: report.band,
      ...(args.min !== undefined ? { min: args.min } : {}),
      weights: { passed: report.passedWeight, evaluated: report.evaluatedWeight },
      counts: { passed: report.passed, failed: report.failed, notEvaluated: report.notEvaluated },
      spans: report.spans,
      probes: scored.probes,
      services: scored.services,
      rules: report.rules,
      notEvaluatedLocally: report.notEvaluatedLocally,
      fixes: scored.fixes,
      ...(scored.waitProblem ? { waitProblem: scored.waitProblem } : {}),
      ...(scored.savedRun ? { savedRun: scored.savedRun } : {}),
      ...(outcome
        ? {
            applied: {
              results: outcome.results,
              written: outcome.writes.map((w) => ({
                path: w.path,
                created: w.before === null,
                deleted: w.after === null,
              })),
            },
          }
        : {}),
    });
  } else {
    const lines = [formatScore(scored, args.min)];
    if (outcome) {
      const files = [...new Set(outcome.writes.map((w) => w.path))];
      lines.push(
        '',
        ...outcome.results.map(applyResultLine),
        `${files.length} file(s) written${files.length ? `: ${files.join(', ')}` : ''}. Run trace-guide score again to measure; undo with: trace-guide undo`,
      );
    } else if (!scored.savedRun && scored.fixes.some((f) => f.proposals.some((p) => p.change.kind !== 'note'))) {
      lines.push(
        '',
        'Apply the fixes that are edits with: trace-guide score --yes (undo restores them); notes are yours to do.',
      );
    }
    writeText(lines.join('\n'));
  }
  return below ? EXIT.checksFailed : EXIT.ok;
}
