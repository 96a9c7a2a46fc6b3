/**
 * backend-ui-reachable: the trace UI / query API of the chosen backend answers like that backend — Jaeger's
 * /api/v3/services (falling back to /api/services), Tempo's /ready plus Grafana's /api/health, Zipkin's /health.
 * No traces are expected yet. Not running → skipped with the command that starts it; answering like something else,
 * or a compose file that does not publish the port → fail.
 */
import type { Check, CheckContext } from '../../check.js';
import type { CheckResult } from '../../../types/check-result.js';
import { resolveBackendTarget, type Endpoint, type Evidence } from './backend-target.js';
import { joinUrl, parseJson, pollUntil, request, describeOutcome } from './http.js';
import { resolveOptions, type BackendCheckOptions, type ResolvedOptions } from './options.js';
import { unanswered, type PingResult } from './query-client.js';
import { queryClientFor, queryRole } from './query-clients.js';

const ITEM = 'backend-ui-reachable';

function result(status: CheckResult['status'], summary: string, evidence: Evidence[], fix?: string): CheckResult {
  return { itemId: ITEM, status, summary, evidence, ...(fix ? { fix } : {}) };
}

function startHint(endpoint: Endpoint): string {
  return endpoint.start
    ? `start it from the repo root: \`${endpoint.start}\``
    : `start the backend that should answer at ${endpoint.url}`;
}

async function pingGrafana(endpoint: Endpoint, options: ResolvedOptions): Promise<PingResult> {
  const outcome = await request(joinUrl(endpoint.url, '/api/health'), { timeoutMs: options.requestTimeoutMs });
  if (outcome.kind !== 'answered') return unanswered(outcome);
  const health = parseJson(outcome.body) as { database?: unknown; version?: unknown } | undefined;
  if (outcome.status === 200 && health && typeof health.database === 'string') {
    return {
      status: 'ok',
      url: outcome.url,
      detail: `${outcome.url}: Grafana${typeof health.version === 'string' ? ` ${health.version}` : ''}, database ${health.database}`,
    };
  }
  if (outcome.status === 503) return { status: 'not-ready', url: outcome.url, detail: describeOutcome(outcome) };
  return { status: 'wrong', url: outcome.url, detail: `not Grafana: ${describeOutcome(outcome)}` };
}

/** Pings until it is no longer "not ready" or the deadline passes. */
async function pingUntilReady(ping: () => Promise<PingResult>, options: ResolvedOptions): Promise<PingResult> {
  const polled = await pollUntil(
    async () => {
      const value = await ping();
      return { done: value.status !== 'not-ready', value };
    },
    { deadlineMs: options.deadlineMs, intervalMs: options.pollIntervalMs },
  );
  return polled.value;
}

function judge(what: string, endpoint: Endpoint, ping: PingResult, options: ResolvedOptions): CheckResult | undefined {
  const evidence: Evidence[] = [endpoint.source, { note: ping.detail }];
  if (ping.status === 'ok') return undefined;
  if (ping.status === 'down')
    return result('skipped', `${what} is not running: ${ping.detail}`, evidence, startHint(endpoint));
  if (ping.status === 'not-ready') {
    return result(
      'fail',
      `${what} is still not ready after ${Math.round(options.deadlineMs / 1000)} s: ${ping.detail}`,
      evidence,
      endpoint.composeService
        ? `look at why: \`docker compose logs ${endpoint.composeService}\``
        : `look at the logs of the backend at ${endpoint.url}`,
    );
  }
  return result(
    'fail',
    `something answers at ${endpoint.url}, but not ${what}: ${ping.detail}`,
    evidence,
    endpoint.composeService
      ? `check the ports of ${endpoint.composeService} in the compose file (host port → the container port of ${what}), then \`${endpoint.start}\``
      : `check the URL in the environment variable (${endpoint.url})`,
  );
}

async function check(ctx: CheckContext, options: ResolvedOptions): Promise<CheckResult> {
  const target = await resolveBackendTarget(ctx, options.env);
  const role = queryRole(target);
  if (!role) return result('skipped', `the ${target.kind} backend has no UI for trace-guide to reach`, []);
  if (!role.ok) {
    if (target.composeError) {
      return result(
        'fail',
        `${target.composeError.path} does not parse (${target.composeError.message})`,
        [{ note: target.composeError.message }],
        `fix the YAML in ${target.composeError.path}`,
      );
    }
    if ('misconfigured' in role)
      return result('fail', role.misconfigured.summary, role.misconfigured.evidence, role.misconfigured.fix);
    return result(
      'fail',
      `no ${target.kind} UI to reach: ${role.absent}`,
      [{ note: role.absent }],
      "apply the backend step's compose proposal (`trace-guide apply`), or set the TRACE_GUIDE_*_URL variable of your backend",
    );
  }
  const endpoint = role.endpoint;
  const client = queryClientFor(target.kind, endpoint, options.requestTimeoutMs)!;
  const label =
    target.kind === 'jaeger' ? "Jaeger's query API" : target.kind === 'tempo' ? "Tempo's API" : "Zipkin's API";
  const ping = await pingUntilReady(() => client.ping(), options);
  const bad = judge(label, endpoint, ping, options);
  if (bad) return bad;
  const evidence: Evidence[] = [endpoint.source, { note: ping.detail }];

  if (target.kind === 'tempo') {
    const grafana = target.role('grafana');
    if (grafana?.ok) {
      const grafanaPing = await pingUntilReady(() => pingGrafana(grafana.endpoint, options), options);
      const grafanaBad = judge('Grafana', grafana.endpoint, grafanaPing, options);
      if (grafanaBad) return { ...grafanaBad, evidence: [...evidence, ...grafanaBad.evidence] };
      evidence.push(grafana.endpoint.source, { note: grafanaPing.detail });
      return result(
        'pass',
        `Tempo is ready (${endpoint.url}) and Grafana answers (${grafana.endpoint.url}); no traces are expected yet`,
        evidence,
      );
    }
    if (grafana && 'misconfigured' in grafana)
      return result(
        'fail',
        grafana.misconfigured.summary,
        [...evidence, ...grafana.misconfigured.evidence],
        grafana.misconfigured.fix,
      );
    evidence.push({ note: `Grafana: ${grafana?.absent ?? 'not configured'}` });
    return result(
      'warn',
      `Tempo is ready (${endpoint.url}), but there is no Grafana to look at traces with`,
      evidence,
      "add Grafana (the backend step's compose proposal) or set TRACE_GUIDE_GRAFANA_URL",
    );
  }
  return result('pass', `${label} answers at ${endpoint.url}; no traces are expected yet`, evidence);
}

export function createBackendUiReachableCheck(options: BackendCheckOptions = {}): Check {
  return { itemId: ITEM, run: (ctx) => check(ctx, resolveOptions(options)) };
}

export const backendUiReachable: Check = createBackendUiReachableCheck();
