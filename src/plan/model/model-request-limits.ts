/**
 * How long one call to the model may take: a per-request timeout (default 60 s, env TRACE_GUIDE_MODEL_TIMEOUT_MS) given
 * to the SDK, bounded retries (2), and an overall deadline per call — every attempt, the back-off between them and a
 * margin — that also covers a reply whose headers came and whose body never does (the SDK's timeout ends at the headers).
 */
import { inputError } from '../../core/errors.js';

/**
 * The model used unless TRACE_GUIDE_MODEL or --model names another: a current one, not in the installed SDK's list of
 * deprecated models (test/attacks/model-timeout.test.ts checks it). Here, free of the SDK, so --help can name it.
 */
export const DEFAULT_MODEL = 'claude-sonnet-4-6';
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
export const DEFAULT_MODEL_MAX_RETRIES = 2;
export const MODEL_TIMEOUT_ENV = 'TRACE_GUIDE_MODEL_TIMEOUT_MS';

/** The per-request timeout: the given one, else TRACE_GUIDE_MODEL_TIMEOUT_MS, else 60 s. A bad value is an input error. */
export function modelTimeoutMs(given?: number, env: NodeJS.ProcessEnv = process.env): number {
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < 1)
      throw inputError(`the model timeout must be a positive whole number of milliseconds, got ${given}`);
    return given;
  }
  const raw = env[MODEL_TIMEOUT_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_MODEL_TIMEOUT_MS;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw inputError(
      `${MODEL_TIMEOUT_ENV} must be a positive whole number of milliseconds, got "${raw}"`,
      `e.g. ${MODEL_TIMEOUT_ENV}=60000`,
    );
  }
  return value;
}

/** The SDK's back-off between attempts is at most 8 s each; our margin on top of it. */
const BACKOFF_ALLOWANCE_MS = 8_000;
const MARGIN_MS = 1_000;

/** The longest one call may take in all: every attempt, the back-off between them, and a margin. */
export function overallDeadlineMs(timeoutMs: number, maxRetries: number): number {
  return timeoutMs * (maxRetries + 1) + Math.min(BACKOFF_ALLOWANCE_MS, 2_000 * maxRetries) + MARGIN_MS;
}

/** "60 s" / "300 ms". */
export function formatMs(ms: number): string {
  return ms >= 1_000 && ms % 1_000 === 0
    ? `${ms / 1_000} s`
    : ms >= 1_000
      ? `${(ms / 1_000).toFixed(1)} s`
      : `${ms} ms`;
}

/** An AbortSignal for one call's overall deadline, and whether it is the one that fired. */
export function callDeadline(
  timeoutMs: number,
  maxRetries: number,
): { signal: AbortSignal; expired: () => boolean; ms: number } {
  const ms = overallDeadlineMs(timeoutMs, maxRetries);
  const signal = AbortSignal.timeout(ms);
  return { signal, expired: () => signal.aborted, ms };
}
