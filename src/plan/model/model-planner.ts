/**
 * The model planner: Claude plans one step through a short hand-written tool loop over @anthropic-ai/sdk. It reads the
 * repo through the sandbox (visible files only, secrets redacted) and proposes changes of the same kind as the recipes,
 * starting from the recipes' proposals and the step's reference page. Every tool input is checked with safeParse; a bad
 * input, a path outside the repo, an edit that does not match, or a disallowed command is answered with an error
 * tool_result so the model can correct itself, and never becomes a proposal.
 *
 * Retries: transient API errors (429, 5xx including 529 overloaded, connection errors) are retried by the SDK itself
 * (`maxRetries`, exponential back-off honouring retry-after); what still fails is turned into a TraceGuideError.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { TraceGuideError, inputError } from '../../core/errors.js';
import type { StepId } from '../../skill/schema.js';
import type { PlanContext } from '../context.js';
import { planStep } from '../planner.js';
import type { Proposal } from '../../types/proposal.js';
import { loadAnthropicSdk } from './anthropic-sdk.js';
import {
  callDeadline,
  DEFAULT_MODEL,
  DEFAULT_MODEL_MAX_RETRIES,
  formatMs,
  MODEL_TIMEOUT_ENV,
  modelTimeoutMs,
} from './model-request-limits.js';
import { loadPlannerPrompts, type PlannerPrompts } from './prompts.js';
import { Sandbox, redactSecrets } from './sandbox.js';
import { redactDeep } from './redaction.js';
import { ProposalState, runTool, toolDefinitions } from './tools/index.js';

export { DEFAULT_MODEL } from './model-request-limits.js';
export const DEFAULT_MAX_TURNS = 16;
/** Total input + output tokens one step may spend (cache reads included in input). */
export const DEFAULT_MAX_TOKENS = 400_000;
/** max_tokens of one model reply. */
export const REPLY_MAX_TOKENS = 8192;
export const DEFAULT_MAX_RETRIES = DEFAULT_MODEL_MAX_RETRIES;

export type ModelPlannerEvent =
  | { type: 'turn'; turn: number; usage: ModelUsage }
  | { type: 'text'; text: string }
  | { type: 'tool'; name: string; ok: boolean; message: string }
  | { type: 'proposal'; proposal: Proposal }
  | { type: 'finish'; summary: string };

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ModelPlannerOptions {
  client?: Anthropic;
  apiKey?: string;
  baseURL?: string;
  /** Default: env TRACE_GUIDE_MODEL, else DEFAULT_MODEL. */
  model?: string;
  maxTurns?: number;
  /** Budget of input + output tokens for the step. */
  maxTokens?: number;
  /** Retries of the SDK for transient errors (when it builds the client). */
  maxRetries?: number;
  /** Per-request timeout in ms (when it builds the client); default env TRACE_GUIDE_MODEL_TIMEOUT_MS, else 60 s. */
  timeoutMs?: number;
  onEvent?: (event: ModelPlannerEvent) => void;
  /** The recipes' proposals to start from; default: planStep(ctx, step). */
  baseline?: Proposal[];
  /** Where prompts/ is; default: the package root. */
  prompts?: PlannerPrompts;
}

export interface ModelStepPlan {
  step: StepId;
  proposals: Proposal[];
  usage: ModelUsage;
  turns: number;
  stoppedBy: 'finish' | 'turn-budget' | 'token-budget';
  model: string;
  summary?: string;
}

/**
 * The given client, or one built from the key, base URL, retry count (the SDK retries 429/529, network errors and
 * timeouts) and per-request timeout. The one place a client is built, and so the one place the SDK is loaded.
 */
export async function anthropicClient(options: {
  client?: Anthropic;
  apiKey?: string;
  baseURL?: string;
  maxRetries?: number;
  timeoutMs?: number;
}): Promise<Anthropic> {
  if (options.client) return options.client;
  const Sdk = await loadAnthropicSdk();
  return new Sdk({
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: modelTimeoutMs(options.timeoutMs),
  });
}

/** Request options for one call: an overall deadline over every attempt (the SDK's timeout ends at the headers). */
export function modelCallDeadline(client: Anthropic): { signal: AbortSignal; expired: () => boolean } {
  return callDeadline(client.timeout, client.maxRetries);
}

export function resolveModel(model?: string): string {
  return model || process.env.TRACE_GUIDE_MODEL || DEFAULT_MODEL;
}

/** An SDK error as a message the user can act on; with the client, a timeout says how long and how often it waited. */
export async function describeApiError(
  error: unknown,
  model: string,
  client?: Anthropic,
  deadline?: { expired: () => boolean },
): Promise<TraceGuideError> {
  const Anthropic = await loadAnthropicSdk();
  const retried = 'after the SDK retried';
  const waited = client
    ? `${formatMs(client.timeout)} per attempt, ${client.maxRetries + 1} attempt(s)`
    : 'the per-request timeout';
  const timeoutHint = `check the network or ANTHROPIC_BASE_URL; a slow proxy may need a longer ${MODEL_TIMEOUT_ENV}`;
  if (error instanceof Anthropic.APIConnectionTimeoutError || deadline?.expired()) {
    return inputError(
      `the Anthropic API did not answer in time (${waited}): the model call was given up`,
      timeoutHint,
      error,
    );
  }
  if (error instanceof Anthropic.AuthenticationError) {
    return inputError(
      'the Anthropic API rejected the API key (401)',
      'check ANTHROPIC_API_KEY, or plan without --model',
      error,
    );
  }
  if (error instanceof Anthropic.PermissionDeniedError) {
    return inputError(
      `the API key may not use the model "${model}" (403)`,
      'choose another model with TRACE_GUIDE_MODEL',
      error,
    );
  }
  if (error instanceof Anthropic.NotFoundError) {
    return inputError(
      `the model "${model}" was not found (404)`,
      'set TRACE_GUIDE_MODEL to a current model name',
      error,
    );
  }
  if (error instanceof Anthropic.RateLimitError) {
    return inputError(
      `the Anthropic API is rate limiting this key (429), still ${retried}`,
      'wait a minute and try again',
      error,
    );
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return inputError(
      `cannot reach the Anthropic API (${error.message}), still ${retried}`,
      'check the network or ANTHROPIC_BASE_URL',
      error,
    );
  }
  if (error instanceof Anthropic.APIError) {
    if (error.status === 529) {
      return inputError(`the Anthropic API is overloaded (529), still ${retried}`, 'try again in a few minutes', error);
    }
    return inputError(`the Anthropic API answered ${error.status ?? 'an error'}: ${error.message}`, undefined, error);
  }
  return inputError(
    `the model planner failed: ${error instanceof Error ? error.message : String(error)}`,
    undefined,
    error,
  );
}

function serviceSummary(ctx: PlanContext): unknown {
  return ctx.services.map((s) => ({
    id: s.id,
    name: s.name,
    root: s.root,
    language: s.language,
    manifest: s.manifest,
    entrypoint: s.entrypoint?.file,
    frameworks: s.frameworks.map((f) => f.name),
    httpClients: s.httpClients.map((f) => f.name),
    queueClients: s.queueClients.map((f) => f.name),
    dbClients: s.dbClients.map((f) => f.name),
    logging: s.logging.map((f) => f.name),
    tracing: s.tracing.map((f) => f.name),
  }));
}

export async function planStepWithModel(
  ctx: PlanContext,
  step: StepId,
  options: ModelPlannerOptions = {},
): Promise<ModelStepPlan> {
  const model = resolveModel(options.model);
  const maxTurns = options.maxTurns ?? DEFAULT_MAX_TURNS;
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const emit = options.onEvent ?? (() => {});
  const client = await anthropicClient(options);
  const prompts = options.prompts ?? (await loadPlannerPrompts());
  const baseline = options.baseline ?? (await planStep(ctx, step)).proposals;
  const sandbox = await Sandbox.open(ctx.root);
  const state = new ProposalState(step, sandbox, baseline, (proposal) => emit({ type: 'proposal', proposal }));
  const stepInfo = ctx.skill.steps.find((s) => s.id === step);
  const safe = (text: string): string => redactSecrets(text).text;

  const tools = toolDefinitions(prompts.tools);
  const system: Anthropic.TextBlockParam[] = [
    { type: 'text', text: prompts.system, cache_control: { type: 'ephemeral' } },
  ];
  const messages: Anthropic.MessageParam[] = [
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: safe(`# Reference page for the step "${step}"\n\n${ctx.skill.pages[step] ?? '(none)'}`),
          cache_control: { type: 'ephemeral' },
        },
        {
          type: 'text',
          text: safe(
            [
              `Step: ${step}${stepInfo ? ` — ${stepInfo.title}. Goal: ${stepInfo.goal}` : ''}`,
              `Services chosen for this run:\n${JSON.stringify(serviceSummary(ctx), null, 1)}`,
              `Answers to the step inputs:\n${JSON.stringify(redactDeep(ctx.inputs))}`,
              `Baseline: the recipe proposals for this step (${baseline.length}):\n${JSON.stringify(redactDeep(baseline), null, 1)}`,
              'Plan this step now: keep or adapt the baseline, look at the repo where needed, then call finish.',
            ].join('\n\n'),
          ),
        },
      ],
    },
  ];

  const usage: ModelUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  let turns = 0;
  let summary: string | undefined;
  let stoppedBy: ModelStepPlan['stoppedBy'] | undefined;

  while (!stoppedBy) {
    if (turns >= maxTurns) {
      stoppedBy = 'turn-budget';
      break;
    }
    const spent = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
    if (spent >= maxTokens) {
      stoppedBy = 'token-budget';
      break;
    }
    let reply: Anthropic.Message;
    const deadline = modelCallDeadline(client);
    try {
      reply = await client.messages.create(
        {
          model,
          max_tokens: Math.max(256, Math.min(REPLY_MAX_TOKENS, maxTokens - spent)),
          system,
          tools,
          messages,
        },
        { signal: deadline.signal },
      );
    } catch (error) {
      throw await describeApiError(error, model, client, deadline);
    }
    turns++;
    usage.inputTokens += reply.usage.input_tokens;
    usage.outputTokens += reply.usage.output_tokens;
    usage.cacheReadTokens += reply.usage.cache_read_input_tokens ?? 0;
    usage.cacheWriteTokens += reply.usage.cache_creation_input_tokens ?? 0;
    emit({ type: 'turn', turn: turns, usage: { ...usage } });

    messages.push({ role: 'assistant', content: reply.content as Anthropic.ContentBlockParam[] });
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const block of reply.content) {
      if (block.type === 'text') {
        if (block.text.trim()) emit({ type: 'text', text: block.text });
        continue;
      }
      if (block.type !== 'tool_use') continue;
      let outcome;
      try {
        outcome = await runTool(block.name, block.input, sandbox, state);
      } catch (error) {
        outcome = { ok: false, content: `tool failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      emit({ type: 'tool', name: block.name, ok: outcome.ok, message: outcome.content.split('\n')[0] ?? '' });
      results.push({
        type: 'tool_result',
        tool_use_id: block.id,
        content: safe(outcome.content),
        ...(outcome.ok ? {} : { is_error: true }),
      });
      if (outcome.finished) {
        summary = outcome.finished.summary;
        emit({ type: 'finish', summary });
      }
    }
    if (summary !== undefined) {
      stoppedBy = 'finish';
      break;
    }
    if (results.length === 0) {
      // The model stopped without calling finish (end_turn / max_tokens with no tool call): take what it proposed.
      stoppedBy = 'finish';
      break;
    }
    messages.push({ role: 'user', content: results });
  }

  return {
    step,
    proposals: state.proposals,
    usage,
    turns,
    stoppedBy,
    model,
    ...(summary !== undefined ? { summary } : {}),
  };
}
