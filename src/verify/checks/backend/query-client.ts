/**
 * What every trace backend's query client answers, so the checks do not care which backend it is: is the API there,
 * and can a given trace be found.
 */
import type { HttpOutcome } from './http.js';
import type { ProbeSpan } from './otlp-probe.js';

export type PingResult =
  /** The API answered as this backend does; `detail` says what it reported. */
  | { status: 'ok'; url: string; detail: string }
  /** Nothing listens at the URL. */
  | { status: 'down'; url: string; detail: string }
  /** The backend answers but says it is not ready yet (e.g. Tempo's /ready 503 while starting). */
  | { status: 'not-ready'; url: string; detail: string }
  /** Something answers, but not like this backend (wrong port, another program). */
  | { status: 'wrong'; url: string; detail: string };

export type LookupResult =
  | { status: 'found'; url: string; detail: string }
  | { status: 'missing'; url: string; detail: string }
  | { status: 'down'; url: string; detail: string }
  | { status: 'wrong'; url: string; detail: string };

export interface TraceQueryClient {
  /** "Jaeger", "Tempo", "Zipkin". */
  readonly label: string;
  readonly baseUrl: string;
  ping(): Promise<PingResult>;
  findTrace(probe: ProbeSpan): Promise<LookupResult>;
}

/** True when a JSON/text body mentions the span id, in hex (any case) or base64 (how protobuf JSON writes bytes). */
export function bodyMentionsSpan(body: string, spanIdHex: string): boolean {
  if (body.toLowerCase().includes(spanIdHex.toLowerCase())) return true;
  const base64 = Buffer.from(spanIdHex, 'hex').toString('base64');
  return body.includes(base64) || body.includes(base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
}

/** What a ping or a lookup reports when the request got no HTTP answer: nothing listens ('down'), or it failed ('wrong'). */
export function unanswered(outcome: Exclude<HttpOutcome, { kind: 'answered' }>): {
  status: 'down' | 'wrong';
  url: string;
  detail: string;
} {
  return { status: outcome.kind === 'down' ? 'down' : 'wrong', url: outcome.url, detail: outcome.reason };
}
