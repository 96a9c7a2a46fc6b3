/**
 * Helpers for the demo proof (test/e2e/demo-proof.test.ts): the tools it needs, a throwaway copy of the demo shop
 * (test/helpers/demo-copy.ts), plain HTTP GETs with or without a sampled traceparent, the exact
 * binomial interval, and small queries over the spans the built-in receiver got. Nothing here is faked.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { ReceivedSpan } from '../../src/verify/receiver/span.js';

/** Fails loudly (never skips) when a tool the proof needs is missing. */
export function requireTool(tool: string, args: string[], why: string): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${tool} is needed by the demo proof (${why}) and could not be run here (\`${tool} ${args.join(' ')}\` failed); install it and re-run`,
    );
  }
}

export { copyDemo, type DemoCopy } from '../helpers/demo-copy.js';

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

export interface Sent {
  path: string;
  status?: number;
  error?: string;
  /** Set when the request carried a sampled traceparent. */
  traceId?: string;
  parentSpanId?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** One GET; never rejects. With `sampled`, it carries `traceparent: 00-<new trace id>-<new span id>-01`. */
export function get(baseUrl: string, urlPath: string, sampled: boolean): Promise<Sent> {
  const traceId = sampled ? newTraceId() : undefined;
  const parentSpanId = sampled ? newSpanId() : undefined;
  const headers: Record<string, string> =
    traceId && parentSpanId ? { traceparent: `00-${traceId}-${parentSpanId}-01` } : {};
  const base: Sent = { path: urlPath, ...(traceId ? { traceId } : {}), ...(parentSpanId ? { parentSpanId } : {}) };
  return new Promise((resolve) => {
    const request = http.get(`${baseUrl}${urlPath}`, { agent, headers, timeout: 15_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ ...base, status: response.statusCode ?? 0 }));
      response.on('error', (error) => resolve({ ...base, error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 15 s')));
    request.on('error', (error) => resolve({ ...base, error: error.message }));
  });
}

/** `count` GETs, at most `concurrency` at a time. */
export async function getMany(
  baseUrl: string,
  urlPath: string,
  count: number,
  concurrency: number,
  sampled: boolean,
): Promise<Sent[]> {
  const results: Sent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      results.push(await get(baseUrl, urlPath, sampled));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export function closeAgent(): void {
  agent.destroy();
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/**
 * The exact central interval of Binomial(n, p) (no approximation): the largest `low` with P(X < low) ≤ α/2 and the
 * smallest `high` with P(X > high) ≤ α/2, so a fair sampler lands in [low, high] with probability ≥ `confidence`.
 */
export function exactBinomialInterval(n: number, p: number, confidence: number): { low: number; high: number } {
  const pmf = (k: number) => Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
  const tail = (1 - confidence) / 2;
  let low = 0;
  for (let k = 0, below = 0; k <= n; k++) {
    if (below + pmf(k) > tail) {
      low = k;
      break;
    }
    below += pmf(k);
  }
  let high = n;
  for (let k = n, above = 0; k >= 0; k--) {
    if (above + pmf(k) > tail) {
      high = k;
      break;
    }
    above += pmf(k);
  }
  return { low, high };
}

/**
 * Attribute names replaced by the stable HTTP / network semantic conventions (DESIGN §5): none may appear on any span.
 * Every `net.*` name is old (the stable ones are `network.*`, `server.*`, `client.*`).
 */
const OLD_NAMES = new Set([
  'http.method',
  'http.status_code',
  'http.url',
  'http.target',
  'http.scheme',
  'http.host',
  'http.flavor',
  'http.user_agent',
  'http.client_ip',
  'http.server_name',
  'http.request_content_length',
  'http.response_content_length',
  'db.statement',
  'db.system',
  'db.operation',
  'db.name',
]);

export function oldAttributeNames(span: ReceivedSpan): string[] {
  return Object.keys(span.attributes).filter((key) => OLD_NAMES.has(key) || key.startsWith('net.'));
}

export function describeSpan(span: ReceivedSpan): string {
  return `${span.serviceName} ${span.kind} "${span.name}" ${span.spanId}${span.parentSpanId ? ` ← ${span.parentSpanId}` : ' (root)'} ${span.status.code}`;
}

export function describeTrace(spans: readonly ReceivedSpan[]): string {
  return spans.map(describeSpan).join('\n');
}

/** Scope names of automatic instrumentation libraries (JS, Python, Go contrib); any other scope is a hand-written span. */
export function isAutoInstrumentation(span: ReceivedSpan): boolean {
  return /^@opentelemetry\/instrumentation-|^opentelemetry\.instrumentation\.|^go\.opentelemetry\.io\/contrib\//.test(
    span.scope.name,
  );
}

/** Every 32-hex-digit id in a line except the all-zero one (Python's "outside a span" value is printed as 0). */
export function traceIdsIn(text: string): string[] {
  return [...text.matchAll(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g)].map((m) => m[0]).filter((id) => !/^0+$/.test(id));
}
