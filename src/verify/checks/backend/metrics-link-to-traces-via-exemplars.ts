/**
 * metrics-link-to-traces-via-exemplars (Tempo stack): Grafana's provisioned Prometheus datasource sends exemplar trace
 * ids to the Tempo datasource by uid, and Prometheus really holds span metrics (traces_spanmetrics_calls_total) whose
 * latency histogram carries exemplars under that same label — optionally confirmed by finding one such trace in Tempo.
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Check, CheckContext } from '../../check.js';
import type { CheckResult } from '../../../types/check-result.js';
import { PATHS } from '../../../plan/recipes/backend/paths.js';
import { resolveBackendTarget, type Evidence } from './backend-target.js';
import { resolveOptions, type BackendCheckOptions, type ResolvedOptions } from './options.js';
import { PrometheusClient } from './prometheus-client.js';
import { TempoClient } from './tempo-client.js';

const ITEM = 'metrics-link-to-traces-via-exemplars';
export const CALLS_METRIC = 'traces_spanmetrics_calls_total';
export const LATENCY_BUCKETS = 'traces_spanmetrics_latency_bucket';

function result(status: CheckResult['status'], summary: string, evidence: Evidence[], fix?: string): CheckResult {
  return { itemId: ITEM, status, summary, evidence, ...(fix ? { fix } : {}) };
}

interface ExemplarLink {
  /** The exemplar label Grafana reads the trace id from. */
  labelName: string;
  evidence: Evidence;
}

type DatasourceVerdict =
  | { ok: true; link: ExemplarLink }
  | { ok: false; summary: string; evidence: Evidence[]; fix: string };

/** Reads the provisioned datasources: a Prometheus one must link exemplars to a Tempo datasource by uid. */
export function exemplarLinkIn(file: string, text: string): DatasourceVerdict {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  if (doc.errors.length > 0)
    return {
      ok: false,
      summary: `${file} does not parse: ${doc.errors[0]!.message.split('\n')[0]}`,
      evidence: [{ file, line: 1 }],
      fix: `fix the YAML in ${file}`,
    };
  const list = doc.get('datasources', true);
  const sources = isSeq(list) ? list.items.filter(isMap) : [];
  const tempoUids = new Set(
    sources
      .filter((s) => s.get('type') === 'tempo')
      .map((s) => String(s.get('uid') ?? ''))
      .filter((u) => u !== ''),
  );
  const prometheus = sources.filter((s) => s.get('type') === 'prometheus');
  if (prometheus.length === 0)
    return {
      ok: false,
      summary: `${file} has no Prometheus datasource`,
      evidence: [{ file, line: 1 }],
      fix: "apply the correlation step's datasource proposal",
    };
  const problems: Array<{ file: string; line: number; text: string }> = [];
  for (const source of prometheus) {
    const destinations = source.getIn(['jsonData', 'exemplarTraceIdDestinations'], true);
    if (!isSeq(destinations)) {
      problems.push({
        file,
        line: lineOf(source),
        text: `Prometheus datasource "${String(source.get('name'))}" has no jsonData.exemplarTraceIdDestinations`,
      });
      continue;
    }
    for (const destination of destinations.items.filter(isMap)) {
      const uid = destination.get('datasourceUid');
      const name = destination.get('name');
      if (typeof uid === 'string' && tempoUids.has(uid) && typeof name === 'string' && name !== '') {
        return {
          ok: true,
          link: {
            labelName: name,
            evidence: {
              file,
              line: lineOf(destination),
              text: `exemplarTraceIdDestinations: name ${name} → datasourceUid ${uid}`,
            },
          },
        };
      }
      problems.push({
        file,
        line: lineOf(destination),
        text:
          typeof uid !== 'string'
            ? 'the exemplar destination has no datasourceUid (Grafana links by uid, not by datasource name)'
            : `datasourceUid "${uid}" is not the uid of a Tempo datasource (${[...tempoUids].join(', ') || 'none provisioned'})`,
      });
    }
  }
  return {
    ok: false,
    summary: `Grafana's Prometheus datasource does not link exemplars to Tempo: ${problems[0]?.text ?? 'no exemplar destination'}`,
    evidence: problems,
    fix: `in ${file}, give the Prometheus datasource jsonData.exemplarTraceIdDestinations: [{name: trace_id, datasourceUid: <the Tempo datasource's uid>}]`,
  };
}

async function check(ctx: CheckContext, options: ResolvedOptions): Promise<CheckResult> {
  const file = PATHS.datasources;
  const text = await ctx.repo.read(file);
  if (text === undefined) {
    return result(
      'fail',
      `no Grafana datasources are provisioned (${file} is missing), so no metric links to a trace`,
      [{ note: `${file} not found` }],
      "apply the backend and correlation steps' Grafana datasource proposals",
    );
  }
  const verdict = exemplarLinkIn(file, text);
  if (!verdict.ok) return result('fail', verdict.summary, verdict.evidence, verdict.fix);
  const evidence: Evidence[] = [verdict.link.evidence];

  const target = await resolveBackendTarget(ctx, options.env);
  const role = target.role('prometheus');
  if (!role) return result('skipped', 'exemplars are checked for the Tempo stack only', evidence);
  if (!role.ok) {
    if ('misconfigured' in role)
      return result(
        'fail',
        role.misconfigured.summary,
        [...evidence, ...role.misconfigured.evidence],
        role.misconfigured.fix,
      );
    return result(
      'warn',
      `the datasource links exemplars to Tempo, but there is no Prometheus to ask: ${role.absent}`,
      evidence,
      "add Prometheus (the backend step's compose proposal) or set TRACE_GUIDE_PROMETHEUS_URL",
    );
  }
  const prometheus = new PrometheusClient(role.endpoint.url, options.requestTimeoutMs);
  evidence.push(role.endpoint.source);
  const start = role.endpoint.start
    ? `start it from the repo root: \`${role.endpoint.start}\``
    : `start Prometheus at ${role.endpoint.url}`;

  const calls = await prometheus.query(CALLS_METRIC);
  if (!calls.ok) {
    if (calls.down) return result('skipped', `Prometheus is not running: ${calls.detail}`, evidence, start);
    return result(
      'fail',
      `Prometheus did not answer the query for ${CALLS_METRIC}: ${calls.detail}`,
      evidence,
      `check that ${role.endpoint.url} is Prometheus (container port 9090)`,
    );
  }
  if (calls.data.length === 0) {
    evidence.push({ note: `${calls.url}: no series` });
    return result(
      'skipped',
      `Prometheus has no ${CALLS_METRIC} series yet, so there is nothing to link from`,
      evidence,
      "send a few requests through the instrumented services, and make sure Tempo's metrics generator runs (span-metrics-generated)",
    );
  }
  const services = [...new Set(calls.data.map((s) => s.metric.service ?? s.metric.service_name).filter(Boolean))];
  evidence.push({
    note: `${CALLS_METRIC}: ${calls.data.length} series${services.length ? ` (services: ${services.slice(0, 6).join(', ')})` : ''}`,
  });

  const now = Math.floor(Date.now() / 1000);
  const exemplars = await prometheus.exemplars(LATENCY_BUCKETS, now - 3600, now);
  if (!exemplars.ok) {
    return result(
      'fail',
      `Prometheus did not answer the exemplar query: ${exemplars.detail}`,
      evidence,
      'run Prometheus with --enable-feature=exemplar-storage',
    );
  }
  const all = exemplars.data.flatMap((series) => series.exemplars);
  if (all.length === 0) {
    evidence.push({ note: `${exemplars.url}: no exemplars in the last hour` });
    return result(
      'fail',
      `span metrics arrive but carry no exemplars, so no metric links to a trace`,
      evidence,
      "set send_exemplars: true on Tempo's metrics_generator remote_write and run Prometheus with --enable-feature=exemplar-storage",
    );
  }
  const labelName = verdict.link.labelName;
  const linked = all.find((e) => typeof e.labels?.[labelName] === 'string' && e.labels[labelName] !== '');
  if (!linked) {
    const names = [...new Set(all.flatMap((e) => Object.keys(e.labels ?? {})))];
    return result(
      'fail',
      `exemplars carry ${names.length ? names.join(', ') : 'no labels'}, but Grafana looks for the trace id in "${labelName}"`,
      [...evidence, { note: `${all.length} exemplar(s) at ${exemplars.url}` }],
      `make the names agree: Tempo's trace_id_label_name and the datasource's exemplarTraceIdDestinations name (both "${labelName}" or both "${names[0] ?? 'trace_id'}")`,
    );
  }
  const traceId = linked.labels[labelName]!;
  evidence.push({
    note: `${all.length} exemplar(s) on ${LATENCY_BUCKETS}; one points at trace ${traceId} (label ${labelName})`,
  });

  const tempo = target.role('tempo');
  if (tempo?.ok) {
    const found = await new TempoClient(tempo.endpoint.url, options.requestTimeoutMs).hasTrace(traceId);
    evidence.push({
      note: found.found
        ? `Tempo returns trace ${traceId}: ${found.detail}`
        : `Tempo did not return trace ${traceId}: ${found.detail}`,
    });
    if (!found.found) {
      return result(
        'warn',
        `exemplars link metrics to trace ids, but Tempo did not return trace ${traceId}`,
        evidence,
        'check that the Tempo Grafana links to is the one the metrics generator runs in',
      );
    }
  }
  return result(
    'pass',
    `span metrics carry exemplars with ${labelName}, and Grafana's Prometheus datasource links them to Tempo`,
    evidence,
  );
}

export function createMetricsLinkToTracesViaExemplarsCheck(options: BackendCheckOptions = {}): Check {
  return { itemId: ITEM, run: (ctx) => check(ctx, resolveOptions(options)) };
}

export const metricsLinkToTracesViaExemplars: Check = createMetricsLinkToTracesViaExemplarsCheck();
