import { scanRepo } from '../../repo/scan.js';
import { scoreRun, scoreSavedRun, type RepoScore } from '../../score/score-repo.js';
import { findSession, openWorkspace } from '../../session/workspace.js';
import type { CheckContext } from '../../verify/check.js';
import { startRuntimeRun } from '../../verify/runtime/runtime-run.js';
import { checkContextFor } from '../../workflow/check-context.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatScore } from '../format/score-text.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide score [dir] [--min N] [--json]`: the Instrumentation Score of what really arrived — the runtime run `check`
 * uses, every rule over the spans, evidence and fixes per failed rule. `--from FILE` scores a saved run (OTLP JSON lines)
 * instead, starting nothing. Exit 1 below --min N (or with no score at all).
 */
export async function runScore(args: ParsedArgs): Promise<number> {
  const scored = args.from !== undefined ? await scoreSavedRun(args.from) : await scoreRepo(args);
  return printScore(scored, args);
}

async function scoreRepo(args: ParsedArgs): Promise<RepoScore> {
  const workspace = await openWorkspace(args.dir);
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
    scored = await scoreRun(ctx, await ctx.runtime());
  } finally {
    if (started) await (await started.catch(() => undefined))?.close();
  }
  return scored;
}

function printScore(scored: RepoScore, args: ParsedArgs): number {
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
    });
  } else {
    writeText(formatScore(scored, args.min));
  }
  return below ? EXIT.checksFailed : EXIT.ok;
}
