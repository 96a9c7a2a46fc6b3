/**
 * `ask` with an API key: Claude answers from the step's reference page (cached) and a summary of the repo, streamed
 * through client.messages.stream. Errors of the API become TraceGuideErrors (the model planner's describeApiError).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../core/package-root.js';
import { formatScan } from '../text/scan-text.js';
import { anthropicClient, describeApiError, modelCallDeadline, resolveModel } from '../plan/model/model-planner.js';
import { redactSecrets } from '../plan/model/sandbox.js';
import type { ScanResult } from '../types/scan.js';
import { scanRepo } from '../repo/scan.js';
import type { Skill, StepId } from '../skill/schema.js';
import { findSession, type Workspace } from '../session/workspace.js';

export const CHAT_MAX_TOKENS = 2048;

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ModelAnswer {
  text: string;
  model: string;
  usage: ChatUsage;
  stopReason: string | null;
}

export interface ModelAnswerOptions {
  client?: Anthropic;
  apiKey?: string;
  baseURL?: string;
  model?: string;
  maxRetries?: number;
  /** Per-request timeout in ms; default env TRACE_GUIDE_MODEL_TIMEOUT_MS, else 60 s. */
  timeoutMs?: number;
  /** Called with each piece of text as it streams. */
  onText?: (text: string) => void;
  /** The system prompt; default: prompts/chat/system.md of the package. */
  system?: string;
}

export async function loadChatSystemPrompt(root: string = packageRoot()): Promise<string> {
  return (await readFile(path.join(root, 'prompts', 'chat', 'system.md'), 'utf8')).trim();
}

/** The repo as the model sees it: the scan kept in the session, or a fresh scan when there is no usable session. */
export async function repoContext(workspace: Workspace): Promise<{ text: string; source: 'session' | 'scan' }> {
  let scan: ScanResult;
  let source: 'session' | 'scan';
  const existing = await findSession(workspace).catch(() => undefined);
  if (existing?.kind === 'found') {
    scan = existing.session.scan;
    source = 'session';
  } else {
    scan = await scanRepo(workspace.root);
    source = 'scan';
  }
  return { text: redactSecrets(formatScan(scan)).text, source };
}

export async function answerWithModel(
  skill: Pick<Skill, 'pages' | 'steps'>,
  question: string,
  context: { step?: StepId; repo: string },
  options: ModelAnswerOptions = {},
): Promise<ModelAnswer> {
  const model = resolveModel(options.model);
  const client = await anthropicClient(options);
  const system = options.system ?? (await loadChatSystemPrompt());
  const stepInfo = context.step ? skill.steps.find((s) => s.id === context.step) : undefined;
  const page = context.step
    ? `# Reference page for the step "${context.step}"\n\n${skill.pages[context.step] ?? '(none)'}`
    : `# Reference pages of every step\n\n${Object.values(skill.pages).join('\n\n---\n\n')}`;
  const content: Anthropic.TextBlockParam[] = [
    { type: 'text', text: page, cache_control: { type: 'ephemeral' } },
    { type: 'text', text: `# The repository (trace-guide's scan)\n\n${context.repo}` },
    {
      type: 'text',
      text: `${stepInfo ? `The user is at step "${stepInfo.id}" — ${stepInfo.title}.\n\n` : ''}Question: ${redactSecrets(question).text}`,
    },
  ];
  let text = '';
  const deadline = modelCallDeadline(client);
  try {
    const stream = client.messages.stream(
      {
        model,
        max_tokens: CHAT_MAX_TOKENS,
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content }],
      },
      { signal: deadline.signal },
    );
    stream.on('text', (delta) => {
      text += delta;
      options.onText?.(delta);
    });
    const message = await stream.finalMessage();
    return {
      text,
      model,
      stopReason: message.stop_reason ?? null,
      usage: {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
      },
    };
  } catch (error) {
    throw await describeApiError(error, model, client, deadline);
  }
}

export function formatChatUsage(answer: ModelAnswer): string {
  const u = answer.usage;
  const cache =
    u.cacheReadTokens || u.cacheWriteTokens ? `, cache read ${u.cacheReadTokens} / write ${u.cacheWriteTokens}` : '';
  return `${answer.model}: ${u.inputTokens} input + ${u.outputTokens} output tokens${cache}`;
}
