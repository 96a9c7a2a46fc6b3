/**
 * Probe requests: a request (a GET, or what the user stated) to a started service carrying a sampled W3C traceparent with a fresh trace id, so its spans can
 * be found by that id (and a parent-based sampler keeps them whatever its ratio), or without one for sampling bursts.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface ProbeOutcome {
  status?: number;
  error?: string;
  startedAt: number;
  endedAt: number;
}

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

export function traceparent(traceId: string, parentSpanId: string): string {
  return `00-${traceId}-${parentSpanId}-01`;
}

/** One GET; resolves (never rejects) once the whole response is read, an error occurs, or `timeoutMs` passes. */
export function httpGet(url: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<ProbeOutcome> {
  return httpRequest({ method: 'GET', url, headers }, timeoutMs);
}

/** A probe's request: method, URL (with its query), headers and an optional body, as the user may state them. */
export interface ProbeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One request; resolves (never rejects) once the whole response is read, an error occurs, or `timeoutMs` passes. */
export function httpRequest(req: ProbeRequest, timeoutMs = 10_000): Promise<ProbeOutcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<ProbeOutcome, 'startedAt' | 'endedAt'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, startedAt, endedAt: Date.now() });
    };
    const headers: Record<string, string> = { connection: 'close', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const request = http.request(req.url, { method: req.method, headers, timeout: timeoutMs }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => finish({ status: response.statusCode ?? 0 }));
      response.on('error', (error) =>
        finish({ ...(response.statusCode ? { status: response.statusCode } : {}), error: error.message }),
      );
    });
    request.on('timeout', () => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    request.on('error', (error) => finish({ error: error.message }));
    request.end(req.body);
  });
}

/**
 * A probe reached a route: it was answered, not with 404 (nothing is there: a wrong path or a missed prefix), and with
 * the status the user stated when one was stated. Only such probes count as probed routes in the checks.
 */
export function reachedRoute(probe: { status?: number; expectedStatus?: number }): boolean {
  if (probe.status === undefined || probe.status === 404) return false;
  return probe.expectedStatus === undefined || probe.status === probe.expectedStatus;
}
