/** Small builders for check results, so every static check reports the same way. */
import type { CheckResult } from '../../../../types/check-result.js';
import type { Evidence } from '../../../../types/scan.js';

export type EvidenceItem = Evidence | { note: string };
export type Status = CheckResult['status'];

export function result(
  itemId: string,
  status: Status,
  summary: string,
  evidence: EvidenceItem[] = [],
  fix?: string,
): CheckResult {
  return fix === undefined ? { itemId, status, summary, evidence } : { itemId, status, summary, evidence, fix };
}

/** One finding about one service or file: what was seen, how bad, and what to do about it. */
export interface Finding {
  status: 'pass' | 'warn' | 'fail' | 'nothing-to-check';
  /** Short, user-facing: "gateway: sdk.shutdown() runs on SIGTERM". */
  message: string;
  evidence: EvidenceItem[];
  fix?: string;
}

const RANK = { 'nothing-to-check': -1, pass: 0, warn: 1, fail: 2 } as const;

/**
 * Folds per-service findings into one result: the worst status wins; the summary names what failed (or warned), or
 * says what passed. With no findings at all the check is skipped with `emptyReason` — never a pass without evidence.
 * A finding of `nothing-to-check` (the check found none of what it checks) ranks below a pass: the item has nothing to
 * check only when every finding says so.
 */
export function combine(itemId: string, findings: Finding[], emptyReason: string): CheckResult {
  if (findings.length === 0) return result(itemId, 'skipped', emptyReason);
  const worst = findings.reduce<Finding['status']>(
    (w, f) => (RANK[f.status] > RANK[w] ? f.status : w),
    'nothing-to-check',
  );
  const shown = worst === 'pass' ? findings : findings.filter((f) => f.status === worst);
  const others = worst === 'pass' ? [] : findings.filter((f) => f.status !== worst);
  const summary = shown.map((f) => f.message).join('; ');
  const evidence = [...shown, ...others].flatMap((f) => f.evidence);
  const fixes = [...new Set(shown.map((f) => f.fix).filter((f): f is string => typeof f === 'string'))];
  return result(itemId, worst, summary, evidence, fixes.length > 0 ? fixes.join(' ') : undefined);
}
