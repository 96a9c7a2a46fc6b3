/**
 * `score` on a repository: the runtime run `check` uses (the chosen services against the built-in receiver, probed with
 * the user's probes or the routes found in the code), every rule over what arrived, and the fixes of the failed rules.
 */
import type { Service } from '../types/scan.js';
import type { CheckContext } from '../verify/check.js';
import { serviceNameOf } from '../verify/receiver/span.js';
import type { RuntimeRun } from '../verify/runtime/runtime-run.js';
import { evaluateScore, type ScoreReport } from './evaluate.js';
import { fixesFor, type RuleFix } from './fixes.js';
import { readSavedRun } from './from-file.js';
import { resourcesByService, scoreInputFromRun } from './run-input.js';

export interface ScoredService {
  id: string;
  status: RuntimeRun['services'][number]['status'];
  reason?: string;
  /** The service.name its probed spans reported. */
  reportedName?: string;
}

export interface RepoScore {
  report: ScoreReport;
  fixes: RuleFix[];
  services: ScoredService[];
  probes: number;
  waitProblem?: string;
  /** Set when a saved file was scored: the file and the export requests read from it. */
  savedRun?: { file: string; requests: { traces: number; logs: number; metrics: number } };
}

/** Scores a saved run (OTLP JSON lines, as the Collector's file exporter writes them); nothing is started. */
export async function scoreSavedRun(file: string): Promise<RepoScore> {
  const { input, requests } = await readSavedRun(file);
  const report = evaluateScore(input);
  return {
    report,
    fixes: await fixesFor(undefined, report.rules, new Map()),
    services: [],
    probes: 0,
    savedRun: { file, requests },
  };
}

/** Scores what the started run received; the caller owns the run (and closes it). */
export async function scoreRun(
  ctx: Pick<CheckContext, 'root' | 'repo' | 'services'>,
  run: RuntimeRun,
): Promise<RepoScore> {
  const report = evaluateScore(await scoreInputFromRun(ctx, run));
  const reported = new Map([...resourcesByService(run)].map(([id, resource]) => [id, serviceNameOf(resource)]));
  const byName = new Map<string, Service[]>();
  for (const s of run.services) {
    const name = reported.get(s.service.id);
    if (name) byName.set(name, [...(byName.get(name) ?? []), s.service]);
  }
  const fixes = await fixesFor(ctx, report.rules, byName);
  return {
    report,
    fixes,
    services: run.services.map((s) => ({
      id: s.service.id,
      status: s.status,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(reported.get(s.service.id) ? { reportedName: reported.get(s.service.id)! } : {}),
    })),
    probes: run.probes.length,
    ...(run.waitProblem ? { waitProblem: run.waitProblem } : {}),
  };
}
