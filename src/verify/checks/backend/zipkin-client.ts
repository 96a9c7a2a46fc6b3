/**
 * Zipkin's API (port 9411): `/health` (`{status: "UP"}`) and `/api/v2/trace/{traceId}` (a JSON array of spans).
 */
import { describeOutcome, HttpApi, parseJson, snippet } from './http.js';
import type { ProbeSpan } from './otlp-probe.js';
import { type LookupResult, type PingResult, type TraceQueryClient, unanswered } from './query-client.js';

export class ZipkinClient extends HttpApi implements TraceQueryClient {
  readonly label = 'Zipkin';

  async ping(): Promise<PingResult> {
    const outcome = await this.get('/health');
    if (outcome.kind !== 'answered') return unanswered(outcome);
    const status = (parseJson(outcome.body) as { status?: unknown } | undefined)?.status;
    if (outcome.status === 200 && status === 'UP')
      return { status: 'ok', url: outcome.url, detail: `${outcome.url} reports status UP` };
    if (typeof status === 'string')
      return { status: 'not-ready', url: outcome.url, detail: `${outcome.url} reports status ${status}` };
    return { status: 'wrong', url: outcome.url, detail: `not Zipkin's API: ${describeOutcome(outcome)}` };
  }

  async findTrace(probe: ProbeSpan): Promise<LookupResult> {
    const outcome = await this.get(`/api/v2/trace/${probe.traceId}`);
    if (outcome.kind !== 'answered') return unanswered(outcome);
    if (outcome.status === 404)
      return {
        status: 'missing',
        url: outcome.url,
        detail: `${outcome.url} answered 404: ${snippet(outcome.body, 120)}`,
      };
    const spans = parseJson(outcome.body);
    if (outcome.status === 200 && Array.isArray(spans)) {
      const hit = spans.find((s) => String((s as { id?: unknown }).id ?? '').toLowerCase() === probe.spanId);
      return hit
        ? { status: 'found', url: outcome.url, detail: `${outcome.url} returned the probe span ${probe.spanId}` }
        : {
            status: 'missing',
            url: outcome.url,
            detail: `${outcome.url} returned ${spans.length} span(s), not the probe`,
          };
    }
    return { status: 'wrong', url: outcome.url, detail: describeOutcome(outcome) };
  }
}
