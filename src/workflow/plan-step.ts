import { usageError } from '../core/errors.js';
import { previewProposals, type ProposalPreview } from '../edit/preview.js';
import { createPlanContext } from '../plan/context.js';
import { planStep, type StepPlan } from '../plan/planner.js';
import type { Recipe } from '../plan/recipe.js';
import { scanRepo } from '../repo/scan.js';
import type { ToolLookup } from '../plan/tools.js';
import { currentStep } from '../session/machine.js';
import type { InputValue, Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';

export interface PlannedStep {
  session: Session;
  index: number;
  previews: ProposalPreview[];
  planner: 'recipes';
  /** Services no built-in recipe of this step covers. */
  uncovered: StepPlan['uncovered'];
}

/**
 * Plans step `index` (0-based) of the session with the offline recipes: moves there, records any new answers, goes back
 * to the plan phase if the step was further on, and stores the proposals for review. Each proposal comes with its diff
 * against the repo as it is now.
 */
export async function planStepAt(
  workspace: Workspace,
  session: Session,
  index: number,
  options: { inputs?: Record<string, InputValue>; tools?: ToolLookup; recipes?: readonly Recipe[] } = {},
): Promise<PlannedStep> {
  if (index < 0 || index >= session.steps.length) throw usageError(`there is no step ${index + 1}: steps are 1 to ${session.steps.length}`);
  let next = session;
  if (next.current !== index) next = await dispatch(workspace, next, { type: 'goto', index });
  if (options.inputs && Object.keys(options.inputs).length > 0) {
    if (currentStep(next).phase !== 'plan') next = await dispatch(workspace, next, { type: 'replan' });
    next = await dispatch(workspace, next, { type: 'set-inputs', inputs: options.inputs });
  }
  if (currentStep(next).phase !== 'plan') next = await dispatch(workspace, next, { type: 'replan' });
  const ctx = createPlanContext({
    root: workspace.root,
    skill: workspace.skill,
    // Planned against the repo as it is now: earlier steps (or the user) may have changed it since the session began.
    scan: await scanRepo(workspace.root),
    inputs: next.inputs,
    ...(options.tools ? { tools: options.tools } : {}),
  });
  const plan = await planStep(ctx, currentStep(next).id, options.recipes);
  next = await dispatch(workspace, next, { type: 'proposals-ready', proposals: plan.proposals });
  return {
    session: next,
    index,
    previews: await previewProposals(workspace.root, plan.proposals),
    planner: 'recipes',
    uncovered: plan.uncovered,
  };
}
