/**
 * The spec's arithmetic: Score = Σ(passed × weight) / Σ(evaluated × weight) × 100 over the rules that were evaluated
 * (a rule not evaluated is left out of both sums, never counted as passed), and the qualitative band of a score.
 */
import { IMPACT_WEIGHTS, type RuleImpact, type RuleStatus } from './types.js';

export type ScoreBand = 'Excellent' | 'Good' | 'Needs Improvement' | 'Poor';

export interface ScoreTotals {
  /** 0–100, two decimals; null when no rule could be evaluated. */
  score: number | null;
  band: ScoreBand | null;
  passedWeight: number;
  evaluatedWeight: number;
  passed: number;
  failed: number;
  notEvaluated: number;
}

/** The spec's bands: 90–100 Excellent, 75–89 Good, 50–74 Needs Improvement, 0–49 Poor. */
export function bandOf(score: number): ScoreBand {
  if (score >= 90) return 'Excellent';
  if (score >= 75) return 'Good';
  if (score >= 50) return 'Needs Improvement';
  return 'Poor';
}

export function totalsOf(results: readonly { impact: RuleImpact; status: RuleStatus }[]): ScoreTotals {
  let passedWeight = 0;
  let evaluatedWeight = 0;
  let passed = 0;
  let failed = 0;
  let notEvaluated = 0;
  for (const r of results) {
    if (r.status === 'not-evaluated') {
      notEvaluated++;
      continue;
    }
    const weight = IMPACT_WEIGHTS[r.impact];
    evaluatedWeight += weight;
    if (r.status === 'pass') {
      passedWeight += weight;
      passed++;
    } else failed++;
  }
  const score = evaluatedWeight === 0 ? null : Math.round((passedWeight / evaluatedWeight) * 10_000) / 100;
  return {
    score,
    band: score === null ? null : bandOf(score),
    passedWeight,
    evaluatedWeight,
    passed,
    failed,
    notEvaluated,
  };
}
