import type { Check } from './check.js';
import type { CheckResult, CheckStatus } from '../types/check-result.js';

/**
 * Worst first. A failure anywhere fails the item; a warning comes next; a half that could not run (skipped) ranks below
 * a pass, so a pass never hides a half that did not run. A half with nothing to check ranks last: it neither proves nor
 * disproves, so the other halves decide (and when every half had nothing to check, the item has nothing to check).
 */
const RANK: Record<CheckStatus, number> = { fail: 0, warn: 1, skipped: 2, pass: 3, 'nothing-to-check': 4 };

/** The status of an item proven in several halves: the worst of them, by RANK. */
export function combinedStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return [...statuses].sort((a, b) => RANK[a] - RANK[b])[0] ?? 'skipped';
}

/**
 * One check for an item proven in several ways (e.g. read from the code and watched at runtime): runs every half and
 * keeps the worst status; the summaries and evidence of all halves are kept, so the user sees both sides.
 */
export function combineChecks(halves: readonly Check[]): Check {
  const itemId = halves[0]!.itemId;
  return {
    itemId,
    async run(ctx) {
      const results: CheckResult[] = [];
      for (const half of halves) results.push(await half.run(ctx));
      const status = combinedStatus(results.map((r) => r.status));
      const fix =
        results.find((r) => r.status === status && r.fix)?.fix ??
        results.find((r) => r.status !== 'pass' && r.fix)?.fix;
      return {
        itemId,
        status,
        summary: results.map((r) => r.summary).join(' · '),
        evidence: results.flatMap((r) => r.evidence),
        ...(fix && status !== 'pass' ? { fix } : {}),
      };
    },
  };
}
