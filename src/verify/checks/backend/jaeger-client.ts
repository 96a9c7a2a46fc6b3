/**
 * Jaeger v2's query API: the documented `/api/v3/services` and `/api/v3/traces/{traceID}` (OTLP JSON wrapped in
 * `result`), falling back to the UI's internal `/api/services` and `/api/traces/{id}` (`{data: [...]}`) when v3 is
 * not there (an older Jaeger).
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

type Api = 'v3' | 'legacy';

export interface JaegerServices {
  api: Api;
  url: string;
  services: string[];
}

function servicesFromV3(json: unknown): string[] | undefined {
  const services = (json as { services?: unknown } | undefined)?.services;
  if (
    services === undefined &&
    json &&
    typeof json === 'object' &&
    !Array.isArray(json) &&
    Object.keys(json).length === 0
  )
    return [];
  return Array.isArray(services) ? services.map(String) : undefined;
}

function servicesFromLegacy(json: unknown): string[] | undefined {
  const data = (json as { data?: unknown } | undefined)?.data;
  if (data === null) return [];
  return Array.isArray(data) ? data.map(String) : undefined;
}

export class JaegerClient extends HttpApi implements TraceQueryClient {
  readonly label = 'Jaeger';
  private api: Api | undefined;

  /** The service list, from v3 or (when v3 is not there) the legacy API; the outcome that failed otherwise. */
  async services(): Promise<
    { ok: true; value: JaegerServices } | { ok: false; outcome: HttpOutcome; tried: HttpOutcome[] }
  > {
    const v3 = await this.get('/api/v3/services');
    if (v3.kind !== 'answered') return { ok: false, outcome: v3, tried: [v3] };
    if (v3.status === 200) {
      const services = servicesFromV3(parseJson(v3.body));
      if (services) {
        this.api = 'v3';
        return { ok: true, value: { api: 'v3', url: v3.url, services } };
      }
    }
    const legacy = await this.get('/api/services');
    if (legacy.kind === 'answered' && legacy.status === 200) {
      const services = servicesFromLegacy(parseJson(legacy.body));
      if (services) {
        this.api = 'legacy';
        return { ok: true, value: { api: 'legacy', url: legacy.url, services } };
      }
    }
    return { ok: false, outcome: legacy.kind === 'answered' ? v3 : legacy, tried: [v3, legacy] };
  }

  async ping(): Promise<PingResult> {
    const result = await this.services();
    if (result.ok) {
      const { api, url, services } = result.value;
      const list =
        services.length === 0 ? 'no services yet' : `${services.length} service(s): ${services.slice(0, 8).join(', ')}`;
      return {
        status: 'ok',
        url,
        detail: `${url} answered (${api === 'v3' ? 'API v3' : "the UI's internal API; v3 is not there"}) with ${list}`,
      };
    }
    const first = result.outcome;
    if (first.kind !== 'answered') return unanswered(first);
    return {
      status: 'wrong',
      url: first.url,
      detail: `not Jaeger's query API: ${result.tried.map(describeOutcome).join('; ')}`,
    };
  }

  async findTrace(probe: ProbeSpan): Promise<LookupResult> {
    if (!this.api) {
      const services = await this.services();
      if (!services.ok) {
        const outcome = services.outcome;
        return outcome.kind === 'down'
          ? { status: 'down', url: outcome.url, detail: outcome.reason }
          : { status: 'wrong', url: outcome.url, detail: describeOutcome(outcome) };
      }
    }
    const path = this.api === 'v3' ? `/api/v3/traces/${probe.traceId}` : `/api/traces/${probe.traceId}`;
    const outcome = await this.get(path);
    if (outcome.kind !== 'answered') return unanswered(outcome);
    if (outcome.status === 200 && bodyMentionsSpan(outcome.body, probe.spanId)) {
      return { status: 'found', url: outcome.url, detail: `${outcome.url} returned the probe span ${probe.spanId}` };
    }
    if (outcome.status === 200 || outcome.status === 404) {
      return {
        status: 'missing',
        url: outcome.url,
        detail: `${outcome.url} answered HTTP ${outcome.status}: ${snippet(outcome.body, 120)}`,
      };
    }
    return { status: 'wrong', url: outcome.url, detail: describeOutcome(outcome) };
  }
}
