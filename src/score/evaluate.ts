/** Runs every rule of the registry over one input and totals the score; a rule that throws is not evaluated, with why. */
import { describeError } from '../core/errors.js';
import {
  NOT_EVALUATED_LOCALLY,
  SCORE_RULES,
  type RuleTarget,
  type ScoreRule,
  type UnevaluatedRule,
} from './registry.js';
import { totalsOf, type ScoreTotals } from './scoring.js';
import type { RuleImpact, RuleVerdict, ScoreInput } from './types.js';

export interface RuleResult extends RuleVerdict {
  id: string;
  title: string;
  impact: RuleImpact;
  target: RuleTarget;
  proposed?: boolean;
}

export interface ScoreReport extends ScoreTotals {
  rules: RuleResult[];
  /** The spec's rules one local run cannot evaluate, with the reason; they are in neither sum. */
  notEvaluatedLocally: readonly UnevaluatedRule[];
  spans: number;
  services: string[];
}

export function evaluateScore(input: ScoreInput, rules: readonly ScoreRule[] = SCORE_RULES): ScoreReport {
  const results: RuleResult[] = rules.map((rule) => {
    let verdict: RuleVerdict;
    try {
      verdict = rule.evaluate(input);
    } catch (error) {
      verdict = { status: 'not-evaluated', summary: `the rule could not run: ${describeError(error)}`, evidence: [] };
    }
    return {
      id: rule.id,
      title: rule.title,
      impact: rule.impact,
      target: rule.target,
      ...(rule.proposed ? { proposed: true } : {}),
      ...verdict,
    };
  });
  return {
    ...totalsOf(results),
    rules: results,
    notEvaluatedLocally: NOT_EVALUATED_LOCALLY,
    spans: input.spans.length,
    services: [...new Set(input.spans.map((s) => s.serviceName))].sort(),
  };
}
