import { answer, type PlanContext } from '../../context.js';
import { editFile, note, type ProposalHead } from '../../proposal-builders.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../recipe.js';
import { isMap } from 'yaml';
import { mergeMissing, parseYaml, stringifyLike } from '../../../yaml/merge.js';
import { findServiceByImage } from '../../../yaml/compose-merge.js';
import { currentCompose, describeMoves, planComposeMerge } from './compose-proposal.js';
import { CONFIG_DIR, PATHS } from './paths.js';
import { datasourceUid, mergeDatasources } from './grafana-datasources.js';

const STEP = 'correlation' as const;

function head(id: string, title: string, why: string, after: string[] = []): ProposalHead {
  return { id, step: STEP, title, why, after };
}

/** Adds the metrics generator (service graphs, span metrics → Prometheus) to a Tempo config that lacks it. */
export function addMetricsGenerator(
  current: string,
  fragment: string,
): { ok: true; text?: string } | { ok: false; message: string; line: number; col: number } {
  const parsed = parseYaml(current);
  if (!parsed.ok) return parsed;
  const source = parseYaml(fragment);
  if (!source.ok || !isMap(source.doc.contents)) throw new Error('metrics generator template does not parse');
  if (!isMap(parsed.doc.contents)) return { ok: false, message: 'the top level is not a mapping', line: 1, col: 1 };
  const added = mergeMissing(parsed.doc.contents, source.doc.contents);
  return added.length === 0 ? { ok: true } : { ok: true, text: stringifyLike(parsed.doc, current) };
}

async function tempoCorrelation(ctx: PlanContext): Promise<Proposal[]> {
  const proposals: Proposal[] = [];
  const loki = answer(ctx, 'logs-backend') === 'loki';
  const fragment = await ctx.templates.render('backend/tempo/metrics-generator.yaml', {});

  for (const path of [PATHS.tempo, PATHS.tempoS3]) {
    const current = await ctx.repo.read(path);
    if (current === undefined) {
      if (path === PATHS.tempo)
        proposals.push(
          note(
            head('tempo-config-missing', `${path} not found`, 'The metrics generator is configured in Tempo.'),
            `trace-guide expected Tempo's configuration at ${path} (from the backend step). Add this to your Tempo configuration:\n\n${fragment}`,
          ),
        );
      continue;
    }
    const slug = path === PATHS.tempo ? 'tempo-metrics-generator' : 'tempo-s3-metrics-generator';
    const result = addMetricsGenerator(current, fragment);
    if (!result.ok) {
      proposals.push(
        note(
          head(`${slug}-unreadable`, `${path} is not valid YAML`, 'It was left as it is.'),
          `${path}: ${result.message} (line ${result.line}, column ${result.col}). Add:\n\n${fragment}`,
        ),
      );
    } else if (result.text !== undefined) {
      proposals.push(
        editFile(
          head(
            slug,
            `Turn on Tempo's metrics generator${path === PATHS.tempoS3 ? ' (S3 config)' : ''}`,
            'Span metrics and the service graph, remote-written with exemplars to Prometheus.',
          ),
          path,
          [{ old: current, new: result.text }],
        ),
      );
    }
  }

  const currentSources = await ctx.repo.read(PATHS.datasources);
  const uids = {
    tempoUid: datasourceUid(currentSources, 'tempo') ?? 'tempo',
    prometheusUid: datasourceUid(currentSources, 'prometheus') ?? 'prometheus',
    lokiUid: datasourceUid(currentSources, 'loki') ?? 'loki',
  };
  const wanted = await ctx.templates.render('grafana/datasources.correlated.yaml', { ...uids, loki });
  if (currentSources === undefined) {
    proposals.push(
      note(
        head('datasources-missing', `${PATHS.datasources} not found`, 'Grafana links need provisioned datasources.'),
        `Provision these Grafana datasources:\n\n${wanted}`,
      ),
    );
  } else {
    const merged = mergeDatasources(currentSources, wanted);
    if (!merged.ok) {
      proposals.push(
        note(
          head('datasources-unreadable', `${PATHS.datasources} is not valid YAML`, 'It was left as it is.'),
          `line ${merged.line}, column ${merged.col}: ${merged.message}`,
        ),
      );
    } else if (merged.changed) {
      proposals.push(
        editFile(
          head(
            'grafana-links',
            'Link metrics, traces' + (loki ? ' and logs' : '') + ' in Grafana',
            'Exemplars open traces; the service map reads span metrics' + (loki ? '; traces open their logs.' : '.'),
          ),
          PATHS.datasources,
          [{ old: currentSources, new: merged.text }],
        ),
      );
    }
  }

  if (loki) {
    const compose = await currentCompose(ctx);
    if (!compose || !findServiceByImage(compose.doc, /(^|\/)grafana\/loki:/)) {
      const merge = await planComposeMerge(
        ctx,
        head('loki-service', 'Add Loki to the compose file', 'Grafana needs a Loki to link traces to logs.'),
        await ctx.templates.render('backend/loki/compose.yaml', { configDir: CONFIG_DIR }),
      );
      proposals.push(...merge.proposals);
      if (merge.moved.length > 0)
        proposals.push(
          note(
            head('loki-ports', 'Loki published on another port', 'A host port was taken.'),
            describeMoves(merge.moved),
          ),
        );
    }
  }

  if (proposals.some((p) => p.change.kind !== 'note')) {
    proposals.push(
      note(
        head(
          'correlation-restart',
          'Restart the stack and look',
          'Tempo and Grafana read their configuration at start.',
        ),
        'Restart with `docker compose up -d --force-recreate tempo grafana' +
          (loki ? ' loki' : '') +
          '`. After some traffic, ' +
          'Prometheus has traces_spanmetrics_calls_total, traces_spanmetrics_latency_bucket, traces_spanmetrics_size_total and ' +
          'traces_service_graph_request_total; in a Grafana panel on traces_spanmetrics_latency_bucket turn on Exemplars to ' +
          'open example traces. Keep span-metric dimensions low-cardinality (service, span name, kind, status).' +
          (loki
            ? " Logs still have to reach Loki (Grafana Alloy, or an OpenTelemetry Collector exporting logs with otlp_http to Loki's /otlp endpoint); keep trace_id=<32 hex> in each line so the derived field links it."
            : ''),
      ),
    );
  }
  return proposals;
}

function jaegerCorrelation(ctx: PlanContext): Proposal[] {
  const loki = answer(ctx, 'logs-backend') === 'loki';
  return [
    note(
      head(
        'jaeger-monitor-tab',
        'Metrics from spans with Jaeger',
        "Jaeger's Monitor tab (SPM) needs span metrics in Prometheus.",
      ),
      "Jaeger v2's Monitor tab shows request rate, errors and latency per service from span metrics, but the all-in-one " +
        'image does not compute them. To turn it on, run Jaeger with its own config: a spanmetrics connector in the traces ' +
        'pipeline feeding a metrics pipeline that exports to Prometheus (prometheus exporter, scraped; or remote write), and ' +
        'jaeger_query with storage.metrics pointing at a jaeger_storage metric backend of type prometheus. Series are named ' +
        "traces_span_metrics_* there (the connector's namespace), not Tempo's traces_spanmetrics_*. For exemplars and a " +
        'service graph in Grafana, Tempo is the simpler stack (backend: tempo).' +
        (loki
          ? " For trace ↔ log links, Grafana's Jaeger datasource supports tracesToLogsV2 with your Loki datasource uid."
          : ''),
    ),
  ];
}

/** Step 6 (backend part): span metrics, exemplars and trace ↔ log links in the backend stack. */
export const correlationRecipe: Recipe = {
  id: 'backend-correlation',
  step: STEP,
  scope: 'repo',
  appliesTo: (ctx) => ['tempo', 'jaeger'].includes(String(answer(ctx, 'backend'))),
  async plan(ctx) {
    return String(answer(ctx, 'backend')) === 'tempo' ? tempoCorrelation(ctx) : jaegerCorrelation(ctx);
  },
};
