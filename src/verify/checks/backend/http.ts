/**
 * Small HTTP helpers for the backend checks: one request with a timeout, classified so a check can tell "nothing is
 * listening" (the backend is not running) from "something answered".
 */

export type HttpOutcome =
  | { kind: 'answered'; url: string; status: number; body: string; contentType: string | undefined }
  /** Nothing listens there (ECONNREFUSED, or a host that does not resolve). */
  | { kind: 'down'; url: string; reason: string }
  /** Something went wrong on the way (timeout, reset, TLS): the backend may be running but not answering. */
  | { kind: 'error'; url: string; reason: string };

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const DOWN_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

export async function request(url: string, options: RequestOptions = {}): Promise<HttpOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      signal: controller.signal,
      redirect: 'follow',
    });
    const body = await response.text();
    return {
      kind: 'answered',
      url,
      status: response.status,
      body,
      contentType: response.headers.get('content-type') ?? undefined,
    };
  } catch (error) {
    const code = causeCode(error);
    if (code && DOWN_CODES.has(code)) return { kind: 'down', url, reason: `${code}: nothing answers at ${url}` };
    if (controller.signal.aborted)
      return { kind: 'error', url, reason: `no answer within ${options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS} ms` };
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', url, reason: code ? `${code} (${message})` : message };
  } finally {
    clearTimeout(timer);
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first characters of a body, on one line, for a summary or evidence note. */
export function snippet(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat === '') return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function describeOutcome(outcome: HttpOutcome): string {
  if (outcome.kind === 'answered') return `${outcome.url} answered HTTP ${outcome.status}: ${snippet(outcome.body)}`;
  return `${outcome.url}: ${outcome.reason}`;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * Calls `attempt` until it returns a value or the deadline passes (a remote API has no events to wait on, so this
 * polls); returns the last attempt's value with `done: false` when time ran out.
 */
export async function pollUntil<T>(
  attempt: () => Promise<{ done: boolean; value: T }>,
  options: { deadlineMs: number; intervalMs: number },
): Promise<{ done: boolean; value: T; attempts: number }> {
  const stopAt = Date.now() + options.deadlineMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await attempt();
    if (result.done || Date.now() + options.intervalMs > stopAt) return { ...result, attempts };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

/** A backend's HTTP API at a base URL: GET a path with the client's timeout. The query clients build on it. */
export class HttpApi {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs?: number,
  ) {}

  protected get(path: string): Promise<HttpOutcome> {
    return request(joinUrl(this.baseUrl, path), this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {});
  }
}
