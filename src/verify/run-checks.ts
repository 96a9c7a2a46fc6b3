import { describeError } from '../core/errors.js';
import type { ChecklistItem } from '../skill/schema.js';
import type { Check, CheckContext } from './check.js';
import type { CheckResult } from '../types/check-result.js';

export type CheckProgress =
  | { type: 'start'; item: ChecklistItem }
  | { type: 'done'; item: ChecklistItem; result: CheckResult };

/**
 * Runs the checks of the given checklist items, one after another (runtime checks share one started system). An item
 * with no check, or a check that throws, is reported as skipped with the reason — never as passed.
 */
export async function runChecks(
  ctx: CheckContext,
  items: readonly ChecklistItem[],
  checks: readonly Check[],
  onProgress?: (event: CheckProgress) => void,
): Promise<CheckResult[]> {
  const byId = new Map(checks.map((check) => [check.itemId, check]));
  const results: CheckResult[] = [];
  for (const item of items) {
    onProgress?.({ type: 'start', item });
    const check = byId.get(item.id);
    let result: CheckResult;
    if (!check) {
      result = {
        itemId: item.id,
        status: 'skipped',
        summary: `not proven: trace-guide has no ${item.method} check for "${item.title}" yet`,
        evidence: [],
        fix: "verify it by hand (see the step's reference page), then skip the step with a reason",
      };
    } else {
      try {
        result = await check.run(ctx);
        if (result.itemId !== item.id) result = { ...result, itemId: item.id };
      } catch (error) {
        result = {
          itemId: item.id,
          status: 'skipped',
          summary: `the check could not run: ${describeError(error)}`,
          evidence: [],
        };
      }
    }
    results.push(result);
    onProgress?.({ type: 'done', item, result });
  }
  return results;
}
