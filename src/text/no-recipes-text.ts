import type { Service } from '../types/scan.js';

/**
 * One sentence for a service whose language trace-guide lists but has no recipes for: that it has none, and what the
 * user can do instead (the language's own OpenTelemetry option, from the skill's data). Shared by `plan` and the guide.
 */
export function noRecipesText(noRecipes: NonNullable<Service['noRecipes']>): string {
  const { label, evidence, option, packages, how, docs } = noRecipes;
  return `trace-guide has no recipes for ${label} yet (found by ${evidence.file}:${evidence.line}). What you can do: ${option} — ${packages.join(', ')}. ${how} (${docs})`;
}
