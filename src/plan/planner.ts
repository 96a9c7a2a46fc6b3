import type { StepId } from '../skill/schema.js';
import { noRecipesText } from '../text/no-recipes-text.js';
import type { PlanContext } from './context.js';
import type { Proposal } from '../types/proposal.js';
import type { Recipe } from './recipe.js';
import { ALL_RECIPES } from './recipes/index.js';

export interface StepPlan {
  step: StepId;
  proposals: Proposal[];
  /** Ids of the recipes that ran, for the record and for tests. */
  recipes: string[];
  /**
   * Chosen services that no recipe of this step knows how to handle (their stack has no recipe yet); for a service of a
   * listed language, `instead` says that trace-guide has no recipes for it and what the user can do.
   */
  uncovered: { service: string; language: string; instead?: string }[];
  /**
   * Covered services for which the step's recipes proposed nothing, each with why and what the user can do instead — a
   * step never shows "no change is proposed" without saying why.
   */
  nothingProposed: { service: string; reason: string }[];
}

/** What a user can do by hand when a step's recipes find nothing to change in a service. Data, one line per step. */
export const DO_IT_YOURSELF: Partial<Record<StepId, string>> = {
  'manual-spans':
    'add a span around a business operation yourself, inside a handler, with the application\'s own tracer — Node: trace.getTracer(\'<service>\').startActiveSpan(\'<operation>\', (span) => { try { … } finally { span.end(); } }); Python: with trace.get_tracer(__name__).start_as_current_span("<operation>"):; Go: ctx, span := otel.Tracer("<module>").Start(ctx, "<operation>"); defer span.End()',
};

/**
 * Plans one step offline: runs every recipe of the step that applies (repo recipes once, service recipes once per chosen
 * service), and returns their proposals in recipe order. Ids must be unique across the step.
 */
export async function planStep(
  ctx: PlanContext,
  step: StepId,
  recipes: readonly Recipe[] = ALL_RECIPES,
): Promise<StepPlan> {
  const proposals: Proposal[] = [];
  const ran: string[] = [];
  const covered = new Set<string>();
  const nothingProposed: StepPlan['nothingProposed'] = [];
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
        const planned = await recipe.plan(ctx, service);
        proposals.push(...planned);
        if (planned.length === 0) {
          const why =
            (await recipe.whyNothing?.(ctx, service)) ??
            `the ${recipe.id} recipe found nothing it can change safely in ${service.id} (it may be done already)`;
          const yourself = DO_IT_YOURSELF[step];
          nothingProposed.push({
            service: service.id,
            reason: yourself ? `${why} — ${yourself.replace('<service>', service.name)}` : why,
          });
        }
      }
    }
  }
  const seen = new Set<string>();
  for (const proposal of proposals) {
    if (proposal.step !== step)
      throw new Error(`recipe proposal "${proposal.id}" is for step ${proposal.step}, not ${step}`);
    if (seen.has(proposal.id)) throw new Error(`two recipe proposals share the id "${proposal.id}"`);
    seen.add(proposal.id);
  }
  const uncovered =
    serviceRecipes.length === 0
      ? []
      : ctx.services
          .filter((s) => !covered.has(s.id))
          .map((s) => ({
            service: s.id,
            language: s.language,
            ...(s.noRecipes && { instead: noRecipesText(s.noRecipes) }),
          }));
  // A service with proposals from another recipe of the step is not "nothing proposed".
  const withProposals = new Set(proposals.map((p) => p.service).filter((s): s is string => s !== undefined));
  return {
    step,
    proposals,
    recipes: ran,
    uncovered,
    nothingProposed: nothingProposed.filter((n) => !withProposals.has(n.service)),
  };
}
