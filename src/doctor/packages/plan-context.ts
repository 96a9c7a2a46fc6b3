/** The plan context (what the recipes build proposals from) for a doctor check context. */
import { createPlanContext, type PlanContext } from '../../plan/context.js';
import type { CheckContext } from '../../verify/check.js';

export function planContextOf(ctx: CheckContext): PlanContext {
  return createPlanContext({ root: ctx.root, skill: ctx.skill, scan: ctx.scan, inputs: ctx.inputs });
}
