import type { StepId } from '../skill/schema.js';
import type { PlanContext } from './context.js';
import type { Proposal } from './proposal.js';
import type { Recipe } from './recipe.js';
import { ALL_RECIPES } from './recipes/index.js';

export interface StepPlan {
  step: StepId;
  proposals: Proposal[];
  /** Ids of the recipes that ran, for the record and for tests. */
  recipes: string[];
  /** Chosen services that no recipe of this step knows how to handle (their stack has no recipe yet). */
  uncovered: { service: string; language: string }[];
}

/**
 * Plans one step offline: runs every recipe of the step that applies (repo recipes once, service recipes once per chosen
 * service), and returns their proposals in recipe order. Ids must be unique across the step.
 */
export async function planStep(ctx: PlanContext, step: StepId, recipes: readonly Recipe[] = ALL_RECIPES): Promise<StepPlan> {
  const proposals: Proposal[] = [];
  const ran: string[] = [];
  const covered = new Set<string>();
  const serviceRecipes = recipes.filter((r) => r.step === step && r.scope === 'service');
  for (const recipe of recipes) {
    if (recipe.step !== step) continue;
    if (recipe.scope === 'repo') {
      if (!recipe.appliesTo(ctx)) continue;
      ran.push(recipe.id);
      proposals.push(...(await recipe.plan(ctx)));
    } else {
      for (const service of ctx.services) {
        if (!recipe.appliesTo(service, ctx)) continue;
        ran.push(`${recipe.id}@${service.id}`);
        covered.add(service.id);
        proposals.push(...(await recipe.plan(ctx, service)));
      }
    }
  }
  const seen = new Set<string>();
  for (const proposal of proposals) {
    if (proposal.step !== step) throw new Error(`recipe proposal "${proposal.id}" is for step ${proposal.step}, not ${step}`);
    if (seen.has(proposal.id)) throw new Error(`two recipe proposals share the id "${proposal.id}"`);
    seen.add(proposal.id);
  }
  const uncovered =
    serviceRecipes.length === 0
      ? []
      : ctx.services.filter((s) => !covered.has(s.id)).map((s) => ({ service: s.id, language: s.language }));
  return { step, proposals, recipes: ran, uncovered };
}
