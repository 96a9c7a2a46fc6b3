/**
 * Grafana Tempo's HTTP API (port 3200): `/ready`, `/api/v2/traces/{id}` (`{trace: {resourceSpans}}`) falling back to
 * `/api/traces/{id}` (`{batches}`), and `/api/search?q=<TraceQL>` (`{traces: [{traceID, rootServiceName, ...}]}`).
 */
import { describeOutcome, HttpApi, type HttpOutcome, parseJson, snippet } from './http.js';
import type { ProbeSpan } from './otlp-probe.js';
import {
  bodyMentionsSpan,
  type LookupResult,
  type PingResult,
  type TraceQueryClient,
  unanswered,
} from './query-client.js';

export interface TempoSearchHit {
  traceID: string;
  rootServiceName?: string;
  rootTraceName?: string;
}

export class TempoClient extends HttpApi implements TraceQueryClient {
  readonly label = 'Tempo';

  async ping(): Promise<PingResult> {
    const outcome = await this.get('/ready');
    if (outcome.kind !== 'answered') return unanswered(outcome);
    if (outcome.status === 200 && /\bready\b/i.test(outcome.body))
      return { status: 'ok', url: outcome.url, detail: `${outcome.url} answered "${snippet(outcome.body, 60)}"` };
    if (outcome.status === 503)
      return {
        status: 'not-ready',
        url: outcome.url,
        detail: `${outcome.url} answered 503: ${snippet(outcome.body, 160)}`,
      };
    return { status: 'wrong', url: outcome.url, detail: `not Tempo's API: ${describeOutcome(outcome)}` };
  }

  async findTrace(probe: ProbeSpan): Promise<LookupResult> {
    let last: HttpOutcome | undefined;
    for (const path of [`/api/v2/traces/${probe.traceId}`, `/api/traces/${probe.traceId}`]) {
      const outcome = await this.get(path);
      last = outcome;
      if (outcome.kind !== 'answered') return unanswered(outcome);
      if (outcome.status === 200 && bodyMentionsSpan(outcome.body, probe.spanId)) {
        return { status: 'found', url: outcome.url, detail: `${outcome.url} returned the probe span ${probe.spanId}` };
      }
      // A 404 from v2 with Tempo's "trace not found" is an answer; a 404 page means this Tempo has no v2 route.
      if (outcome.status === 404 && /trace not found/i.test(outcome.body)) {
        return {
          status: 'missing',
          url: outcome.url,
          detail: `${outcome.url} answered 404: ${snippet(outcome.body, 120)}`,
        };
      }
      if (outcome.status === 200)
        return { status: 'missing', url: outcome.url, detail: `${outcome.url} answered 200 without the probe span` };
    }
    const outcome = last!;
    if (outcome.kind === 'answered' && outcome.status === 404)
      return {
        status: 'missing',
        url: outcome.url,
        detail: `${outcome.url} answered 404: ${snippet(outcome.body, 120)}`,
      };
    return { status: 'wrong', url: outcome.url, detail: describeOutcome(outcome) };
  }

  /** True when Tempo returns the trace (by id, v2 then v1); the URL asked last. */
  async hasTrace(traceId: string): Promise<{ found: boolean; url: string; detail: string }> {
    let last: HttpOutcome | undefined;
    for (const path of [`/api/v2/traces/${traceId}`, `/api/traces/${traceId}`]) {
      last = await this.get(path);
      if (last.kind === 'answered' && last.status === 200)
        return { found: true, url: last.url, detail: `${last.url} answered 200` };
      if (last.kind !== 'answered') break;
    }
    return { found: false, url: last!.url, detail: describeOutcome(last!) };
  }

  /** TraceQL search (`q=`); the hits, or the outcome when it did not answer 200 with `traces`. */
  async search(
    traceql: string,
    options: { limit?: number } = {},
  ): Promise<{ ok: true; traces: TempoSearchHit[]; url: string } | { ok: false; outcome: HttpOutcome }> {
    const params = new URLSearchParams({ q: traceql, limit: String(options.limit ?? 20) });
    const outcome = await this.get(`/api/search?${params.toString()}`);
    if (outcome.kind !== 'answered' || outcome.status !== 200) return { ok: false, outcome };
    const traces = (parseJson(outcome.body) as { traces?: unknown } | undefined)?.traces;
    if (traces !== undefined && !Array.isArray(traces)) return { ok: false, outcome };
    return {
      ok: true,
      url: outcome.url,
      traces: (traces ?? []).filter(
        (t): t is TempoSearchHit => typeof (t as { traceID?: unknown }).traceID === 'string',
      ),
    };
  }
}
