import type { Check } from './check.js';
import { backendChecks } from './checks/backend/index.js';
import { runtimeChecks, runtimeHalfChecks } from './checks/runtime/index.js';
import { staticChecks } from './checks/static/index.js';
import { combineChecks } from './combine-checks.js';

/**
 * Every built-in check, one per checklist item id. Where an item has a static half (reading the code) and a runtime half
 * (watching spans arrive), both run and the worse outcome decides.
 */
export const ALL_CHECKS: readonly Check[] = byItem([
  ...staticChecks,
  ...runtimeChecks,
  ...backendChecks,
  ...runtimeHalfChecks,
]);

function byItem(checks: readonly Check[]): Check[] {
  const groups = new Map<string, Check[]>();
  for (const check of checks) groups.set(check.itemId, [...(groups.get(check.itemId) ?? []), check]);
  return [...groups.values()].map((group) => (group.length === 1 ? group[0]! : combineChecks(group)));
}
