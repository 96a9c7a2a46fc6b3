import type { Skill, StepId } from '../skill/schema.js';
import { checklistFor, type InputValues } from '../skill/lookup.js';
import { proves, type CheckResult } from '../types/check-result.js';

/**
 * The one place that says which checks a step needs and which of them are not proven yet. The checks, the skip (in the
 * guide and `trace-guide skip`) and the guide's screens all ask here, so they cannot disagree.
 */

/** The ids of the step's required checklist items, given the answers (an item whose `when` does not hold is not asked). */
export function requiredCheckIds(skill: Skill, stepId: StepId, inputs: InputValues): string[] {
  return checklistFor(skill, stepId, inputs)
    .filter((item) => item.required)
    .map((item) => item.id);
}

/** The required ids that no result proves (only a pass proves: not warn, skipped or nothing-to-check), in order. */
export function unprovenRequired(required: readonly string[], results: readonly CheckResult[]): string[] {
  const proven = new Set(results.filter((result) => proves(result.status)).map((result) => result.itemId));
  return required.filter((id) => !proven.has(id));
}
