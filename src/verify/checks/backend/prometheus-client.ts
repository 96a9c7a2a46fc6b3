/**
 * Prometheus's HTTP API (port 9090): instant queries (`/api/v1/query`, `{status, data: {resultType, result}}`) and
 * exemplars (`/api/v1/query_exemplars`, `{status, data: [{seriesLabels, exemplars: [{labels, value, timestamp}]}]}`).
 */
import { describeOutcome, joinUrl, parseJson, request, type HttpOutcome } from './http.js';

export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
}

export interface PromExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
}

export type PromAnswer<T> =
  | { ok: true; url: string; data: T }
  | { ok: false; down: boolean; url: string; detail: string };

function failed(outcome: HttpOutcome): { ok: false; down: boolean; url: string; detail: string } {
  if (outcome.kind !== 'answered')
    return { ok: false, down: outcome.kind === 'down', url: outcome.url, detail: outcome.reason };
  const json = parseJson(outcome.body) as { error?: unknown } | undefined;
  return {
    ok: false,
    down: false,
    url: outcome.url,
    detail:
      typeof json?.error === 'string'
        ? `${outcome.url} answered HTTP ${outcome.status}: ${json.error}`
        : `not Prometheus's API: ${describeOutcome(outcome)}`,
  };
}

export class PrometheusClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs?: number,
  ) {}

  private get(path: string, params: Record<string, string>): Promise<HttpOutcome> {
    return request(
      `${joinUrl(this.baseUrl, path)}?${new URLSearchParams(params).toString()}`,
      this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {},
    );
  }

  /** An instant query; the vector's series. */
  async query(promql: string): Promise<PromAnswer<PromSeries[]>> {
    const outcome = await this.get('/api/v1/query', { query: promql });
    if (outcome.kind !== 'answered' || outcome.status !== 200) return failed(outcome);
    const json = parseJson(outcome.body) as { status?: unknown; data?: { result?: unknown } } | undefined;
    if (json?.status !== 'success' || !Array.isArray(json.data?.result)) return failed(outcome);
    return { ok: true, url: outcome.url, data: json.data.result as PromSeries[] };
  }

  /** Exemplars of the series a query selects, between two epoch-second times. */
  async exemplars(promql: string, startSeconds: number, endSeconds: number): Promise<PromAnswer<PromExemplarSeries[]>> {
    const outcome = await this.get('/api/v1/query_exemplars', {
      query: promql,
      start: String(startSeconds),
      end: String(endSeconds),
    });
    if (outcome.kind !== 'answered' || outcome.status !== 200) return failed(outcome);
    const json = parseJson(outcome.body) as { status?: unknown; data?: unknown } | undefined;
    if (json?.status !== 'success') return failed(outcome);
    const data = Array.isArray(json.data) ? (json.data as PromExemplarSeries[]) : [];
    return {
      ok: true,
      url: outcome.url,
      data: data.map((s) => ({
        seriesLabels: s.seriesLabels ?? {},
        exemplars: Array.isArray(s.exemplars) ? s.exemplars : [],
      })),
    };
  }
}
