/**
 * The sampler defaults in the generated set-up file: parent-based always-on while setting up (every trace kept), then
 * parent-based trace-id ratio from the sampling step. Both are `??=` defaults, so OTEL_TRACES_SAMPLER(_ARG) override them.
 */
import type { PlanContext } from '../../../plan/context.js';

export type SamplerChoice = 'always-on' | { ratio: number };

export async function renderSamplerDefaults(ctx: PlanContext, choice: SamplerChoice): Promise<string> {
  const useRatio = choice !== 'always-on';
  return ctx.templates.render('node/sampler-defaults.js', { useRatio, ratio: useRatio ? String(choice.ratio) : '' });
}

/** The sampler lines as they stand in a set-up file (exact text), when they can be found once. */
export function findSamplerDefaults(text: string): string | undefined {
  const re =
    /^process\.env\.OTEL_TRACES_SAMPLER \?\?= '[^'\n]*';\r?\n(?:process\.env\.OTEL_TRACES_SAMPLER_ARG \?\?= '[^'\n]*';\r?\n)?/gm;
  const found = [...text.matchAll(re)];
  return found.length === 1 ? found[0]![0] : undefined;
}
