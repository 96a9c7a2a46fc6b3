/**
 * The Instrumentation Score rules trace-guide evaluates, as data (id, impact, target, what it reads), each found by id
 * with its evaluator in rules/<id>.ts — and the spec's rules one local run cannot evaluate, each with the reason. Impacts
 * are the spec's (instrumentation-score/spec, rules/). `proposed`: a rule added to the spec after its initial set.
 */
import { evaluateLog002 } from './rules/log-002.js';
import { evaluateRes001 } from './rules/res-001.js';
import { evaluateRes004 } from './rules/res-004.js';
import { evaluateRes005 } from './rules/res-005.js';
import { evaluateRes006 } from './rules/res-006.js';
import { evaluateRes007 } from './rules/res-007.js';
import { evaluateSdk001 } from './rules/sdk-001.js';
import { evaluateSpa001 } from './rules/spa-001.js';
import { evaluateSpa002 } from './rules/spa-002.js';
import { evaluateSpa003 } from './rules/spa-003.js';
import { evaluateSpa004 } from './rules/spa-004.js';
import { evaluateSpa005 } from './rules/spa-005.js';
import type { RuleEvaluator, RuleImpact } from './types.js';

export type RuleTarget = 'Resource' | 'Span' | 'Log' | 'SDK';

export interface ScoreRule {
  id: string;
  title: string;
  impact: RuleImpact;
  target: RuleTarget;
  /** What of the run it reads. */
  reads: string;
  proposed?: boolean;
  evaluate: RuleEvaluator;
}

export interface UnevaluatedRule {
  id: string;
  title: string;
  /** Why one local run cannot evaluate it (its impact does not enter the score, so it is not listed). */
  reason: string;
}

export const SCORE_RULES: readonly ScoreRule[] = [
  {
    id: 'RES-001',
    title: 'service.instance.id is present',
    impact: 'Normal',
    target: 'Resource',
    reads: 'resource attributes',
    evaluate: evaluateRes001,
  },
  {
    id: 'RES-004',
    title: 'semantic-convention attributes at the right OTLP level',
    impact: 'Important',
    target: 'Resource',
    reads: 'span and resource attribute keys',
    evaluate: evaluateRes004,
  },
  {
    id: 'RES-005',
    title: 'service.name is present and not empty',
    impact: 'Critical',
    target: 'Resource',
    reads: 'resource attributes',
    evaluate: evaluateRes005,
  },
  {
    id: 'RES-006',
    title: 'service.criticality uses a valid value',
    impact: 'Normal',
    target: 'Resource',
    reads: 'resource attributes',
    proposed: true,
    evaluate: evaluateRes006,
  },
  {
    id: 'RES-007',
    title: 'deployment.environment.name is present',
    impact: 'Important',
    target: 'Resource',
    reads: 'resource attributes',
    proposed: true,
    evaluate: evaluateRes007,
  },
  {
    id: 'SPA-001',
    title: 'at most 10 INTERNAL spans per service per trace',
    impact: 'Normal',
    target: 'Span',
    reads: 'span kinds per trace',
    evaluate: evaluateSpa001,
  },
  {
    id: 'SPA-002',
    title: 'no orphan spans',
    impact: 'Normal',
    target: 'Span',
    reads: 'parent span ids per trace',
    evaluate: evaluateSpa002,
  },
  {
    id: 'SPA-003',
    title: 'span names of bounded cardinality',
    impact: 'Important',
    target: 'Span',
    reads: 'span names',
    evaluate: evaluateSpa003,
  },
  {
    id: 'SPA-004',
    title: 'a root span is not CLIENT',
    impact: 'Important',
    target: 'Span',
    reads: 'kinds of root spans',
    evaluate: evaluateSpa004,
  },
  {
    id: 'SPA-005',
    title: 'at most 20 spans under 5 ms per trace',
    impact: 'Important',
    target: 'Span',
    reads: 'span durations per trace',
    evaluate: evaluateSpa005,
  },
  {
    id: 'LOG-002',
    title: 'log records set severityNumber',
    impact: 'Important',
    target: 'Log',
    reads: 'log records',
    evaluate: evaluateLog002,
  },
  {
    id: 'SDK-001',
    title: "language runtime within the SDK's supported range",
    impact: 'Low',
    target: 'SDK',
    reads: "the SDK's declared runtime range and the runtime version",
    evaluate: evaluateSdk001,
  },
];

const METRICS = 'a metric rule: the built-in receiver receives traces only, and one run exports no metric history';

export const NOT_EVALUATED_LOCALLY: readonly UnevaluatedRule[] = [
  { id: 'LOG-001', title: 'logs over time', reason: 'needs days of log history; one local run has minutes' },
  { id: 'MET-002', title: 'metrics', reason: METRICS },
  { id: 'MET-003', title: 'metrics', reason: `${METRICS} (it needs days of history)` },
  { id: 'MET-004', title: 'metrics', reason: `${METRICS} (it needs days of history)` },
  { id: 'MET-005', title: 'metrics', reason: METRICS },
  { id: 'MET-006', title: 'metrics', reason: METRICS },
  { id: 'MET-007', title: 'metrics', reason: METRICS },
  { id: 'MET-008', title: 'metrics', reason: METRICS },
  {
    id: 'RES-002',
    title: 'service.instance.id unique across instances',
    reason: 'needs several deployed instances (pods) of a service; a local run starts one',
  },
  {
    id: 'SPA-006',
    title: 'no sensitive data in spans',
    reason:
      'not implemented by trace-guide yet (the check pitfall-credentials-in-spans reads credentials, not all PII the rule names)',
  },
  { id: 'RES-010', title: 'no sensitive data in resource attributes', reason: 'not implemented by trace-guide yet' },
  {
    id: 'LOG-003',
    title: 'no sensitive data in log records',
    reason: 'not implemented by trace-guide yet, and no log record reaches the built-in receiver',
  },
];

export function ruleById(id: string): ScoreRule | undefined {
  return SCORE_RULES.find((r) => r.id === id);
}
