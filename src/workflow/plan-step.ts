import { usageError } from '../core/errors.js';
import { previewProposals, type ProposalPreview } from '../edit/preview.js';
import { createPlanContext } from '../plan/context.js';
import {
  planStepWithModel,
  resolveModel,
  type ModelPlannerEvent,
  type ModelStepPlan,
  type ModelUsage,
} from '../plan/model/model-planner.js';
import { planStep, type StepPlan } from '../plan/planner.js';
import { shownDigests } from '../safety/shown-digest.js';
import type { Proposal } from '../types/proposal.js';
import type { Recipe } from '../plan/recipe.js';
import { scanRepo } from '../repo/scan.js';
import type { ToolLookup } from '../plan/tool-lookup.js';
import { currentStep } from '../session/machine.js';
import type { InputValue, Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';

/** Which planner proposes a step's changes: the offline recipes, or Claude starting from the recipes' proposals. */
export type PlannerChoice =
  | { kind: 'recipes' }
  | {
      kind: 'model';
      apiKey: string;
      baseURL?: string;
      model?: string;
      maxRetries?: number;
      onEvent?: (event: ModelPlannerEvent) => void;
    };

export interface PlannerUsage extends ModelUsage {
  turns: number;
  stoppedBy: ModelStepPlan['stoppedBy'];
  model: string;
}

export interface PlannedStep {
  session: Session;
  index: number;
  previews: ProposalPreview[];
  planner: 'recipes' | 'model';
  /** Tokens and turns the model planner spent (only with planner 'model'). */
  usage?: PlannerUsage;
  /** The model's one-line summary of its plan, when it gave one. */
  summary?: string;
  /** Services no built-in recipe of this step covers. */
  uncovered: StepPlan['uncovered'];
  /** Services the recipes proposed nothing for, with why and what to do by hand. */
  nothingProposed: StepPlan['nothingProposed'];
}

/**
 * The planner the command line asks for: `--offline` forces the recipes; `--model [name]` needs ANTHROPIC_API_KEY;
 * otherwise the model when ANTHROPIC_API_KEY is set, else the recipes. ANTHROPIC_BASE_URL is passed through.
 */
export function choosePlanner(
  flags: { model?: string; offline?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): PlannerChoice {
  if (flags.offline) return { kind: 'recipes' };
  const apiKey = env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) {
    if (flags.model !== undefined) {
      throw usageError(
        '--model needs an Anthropic API key',
        'set ANTHROPIC_API_KEY (or drop --model to plan with the built-in recipes)',
      );
    }
    return { kind: 'recipes' };
  }
  const baseURL = env.ANTHROPIC_BASE_URL?.trim();
  return {
    kind: 'model',
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    model: flags.model || env.TRACE_GUIDE_MODEL || resolveModel(),
  };
}

/**
 * Plans step `index` (0-based) of the session: moves there, records any new answers, goes back to the plan phase if
 * the step was further on, and stores the proposals for review. The recipes always run; with the model planner their
 * proposals are its baseline. Each proposal comes with its diff against the repo as it is now.
 */
export async function planStepAt(
  workspace: Workspace,
  session: Session,
  index: number,
  options: {
    inputs?: Record<string, InputValue>;
    tools?: ToolLookup;
    recipes?: readonly Recipe[];
    planner?: PlannerChoice;
    /** The caller shows the plan to a person (`plan` prints it, the guide displays it): record its proposals as shown. */
    shown?: boolean;
  } = {},
): Promise<PlannedStep> {
  if (index < 0 || index >= session.steps.length)
    throw usageError(`there is no step ${index + 1}: steps are 1 to ${session.steps.length}`);
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
  const stepId = currentStep(next).id;
  const plan = await planStep(ctx, stepId, options.recipes);
  let proposals: Proposal[] = plan.proposals;
  let usage: PlannerUsage | undefined;
  let summary: string | undefined;
  const planner = options.planner ?? { kind: 'recipes' };
  if (planner.kind === 'model') {
    // Errors of the API come back as TraceGuideErrors (describeApiError); the session is left as it was planned before.
    const modelPlan = await planStepWithModel(ctx, stepId, {
      apiKey: planner.apiKey,
      ...(planner.baseURL !== undefined ? { baseURL: planner.baseURL } : {}),
      ...(planner.model !== undefined ? { model: planner.model } : {}),
      ...(planner.maxRetries !== undefined ? { maxRetries: planner.maxRetries } : {}),
      ...(planner.onEvent ? { onEvent: planner.onEvent } : {}),
      baseline: plan.proposals,
    });
    proposals = modelPlan.proposals;
    usage = { ...modelPlan.usage, turns: modelPlan.turns, stoppedBy: modelPlan.stoppedBy, model: modelPlan.model };
    summary = modelPlan.summary;
  }
  next = await dispatch(workspace, next, {
    type: 'proposals-ready',
    proposals,
    ...(options.shown ? { shown: shownDigests(proposals) } : {}),
  });
  return {
    session: next,
    index,
    previews: await previewProposals(workspace.root, proposals),
    planner: planner.kind,
    ...(usage ? { usage } : {}),
    ...(summary !== undefined ? { summary } : {}),
    uncovered: plan.uncovered,
    // The model's plan stands on its own; the recipes' reasons hold for the recipes' plan.
    nothingProposed: planner.kind === 'recipes' ? plan.nothingProposed : [],
  };
}

/** One line about the model planner's spend, for the text output. */
export function formatPlannerUsage(usage: PlannerUsage): string {
  const cache =
    usage.cacheReadTokens || usage.cacheWriteTokens
      ? `, cache read ${usage.cacheReadTokens} / write ${usage.cacheWriteTokens}`
      : '';
  return `${usage.model}: ${usage.inputTokens} input + ${usage.outputTokens} output tokens${cache}, ${usage.turns} turn(s), stopped by ${usage.stoppedBy}`;
}
