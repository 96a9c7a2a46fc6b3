import type { Check } from './check.js';
import type { CheckResult, CheckStatus } from './check-result.js';

/** Worst first: a failure anywhere fails the item; a warning beats a pass; a pass beats a half that could not run. */
const RANK: Record<CheckStatus, number> = { fail: 0, warn: 1, pass: 2, skipped: 3 };

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
      const worst = [...results].sort((a, b) => RANK[a.status] - RANK[b.status])[0]!;
      const fix = results.find((r) => r.status === worst.status && r.fix)?.fix;
      return {
        itemId,
        status: worst.status,
        summary: results.map((r) => r.summary).join(' · '),
        evidence: results.flatMap((r) => r.evidence),
        ...(fix ? { fix } : {}),
      };
    },
  };
}
