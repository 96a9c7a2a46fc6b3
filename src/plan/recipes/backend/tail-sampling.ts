import { answer, type PlanContext } from '../../context.js';
import { createFile, editFile, note, type ProposalHead } from '../../proposal-builders.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../recipe.js';
import { TOOL_HINTS } from '../../tool-lookup.js';
import { exporterSettings } from '../exporter.js';
import { alternativePort } from '../../../edit/free-compose-port.js';
import { findServiceByImage, publishedHostPorts, republishPorts, parseCompose } from '../../../yaml/compose-merge.js';
import { parseYaml } from '../../../yaml/merge.js';
import { currentCompose, describeMoves, planComposeMerge } from './compose-proposal.js';
import { CONFIG_DIR, PATHS } from './paths.js';
import { addTailSampling, hasTailSampling } from './collector-config.js';

const STEP = 'sampling' as const;
const COLLECTOR_IMAGE = /(^|\/)otel\/opentelemetry-collector-contrib:|(^|\/)otelcol-contrib/;
const BACKEND_IMAGE: Record<string, RegExp> = {
  jaeger: /(^|\/)jaegertracing\/jaeger:/,
  tempo: /(^|\/)grafana\/tempo:/,
  zipkin: /(^|\/)openzipkin\/zipkin(-slim)?:/,
};
/** Where the built-in receiver-side Collector listens when run by hand next to trace-guide (which holds 4317/4318). */
const LOCAL_GRPC = 14317;
const LOCAL_HTTP = 14318;

function head(id: string, title: string, why: string, after: string[] = []): ProposalHead {
  return { id, step: STEP, title, why, after };
}

function percent(ctx: PlanContext): number {
  const raw = Number(answer(ctx, 'sampling-percent'));
  return Number.isFinite(raw) ? Math.min(100, Math.max(0, raw)) : 10;
}

function slowThreshold(ctx: PlanContext): number {
  const raw = Number(answer(ctx, 'slow-threshold-ms'));
  return Number.isFinite(raw) && raw >= 1 ? Math.round(raw) : 1000;
}

interface CollectorTarget {
  backend: string;
  /** Compose service of the backend, when it runs in the compose file. */
  backendService?: string;
}

async function renderCollector(ctx: PlanContext, target: CollectorTarget): Promise<string> {
  const backend = target.backend;
  const slow = answer(ctx, 'tail-sampling') === 'errors-and-slow';
  const local = backend === 'local';
  const vendor = backend === 'otlp-vendor';
  const zipkin = backend === 'zipkin';
  const toBackend = !vendor && !zipkin;
  const backendEndpoint = local ? '127.0.0.1:4317' : `${target.backendService ?? backend}:4317`;
  return ctx.templates.render('collector/tail-sampling.yaml', {
    grpcEndpoint: local ? `127.0.0.1:${LOCAL_GRPC}` : '0.0.0.0:4317',
    httpEndpoint: local ? `127.0.0.1:${LOCAL_HTTP}` : '0.0.0.0:4318',
    slow,
    slowThresholdMs: slowThreshold(ctx),
    samplingPercent: percent(ctx),
    toBackend,
    backendEndpoint,
    toZipkin: zipkin,
    toVendor: vendor,
    vendorEndpoint: vendor ? exporterSettings(ctx).endpoint : '',
    exporterId: vendor ? 'otlp_http/vendor' : zipkin ? 'zipkin' : 'otlp_grpc/backend',
  });
}

/** The collector config: created, or tail sampling added to the one that exists (the Zipkin Collector of step 1). */
async function planCollectorConfig(ctx: PlanContext, rendered: string): Promise<Proposal[]> {
  const configHead = head(
    'collector-config',
    'Add tail sampling in an OpenTelemetry Collector',
    'Only a tail sampler sees whole traces, so only it can keep every error.',
  );
  const existing = await ctx.repo.read(PATHS.collector);
  if (existing === undefined) return [createFile(configHead, PATHS.collector, rendered)];
  const edit = addTailSampling(existing, rendered);
  if (!edit.ok) {
    return [
      note(
        { ...configHead, id: 'collector-config-unreadable', title: `${PATHS.collector} could not be changed` },
        `${PATHS.collector}: ${edit.message} (line ${edit.line}, column ${edit.col}); left as it is. The configuration to add:\n\n${rendered}`,
      ),
    ];
  }
  return edit.changed ? [editFile(configHead, PATHS.collector, [{ old: existing, new: edit.text }])] : [];
}

async function planLoadbalancing(ctx: PlanContext): Promise<Proposal[]> {
  if (await ctx.repo.exists(PATHS.collectorLoadbalancing)) return [];
  const lbHead = head(
    'collector-loadbalancing',
    'Add a load-balancing tier config (for more than one Collector)',
    'All spans of a trace must reach the same tail-sampling Collector.',
  );
  return [
    createFile(lbHead, PATHS.collectorLoadbalancing, await ctx.templates.render('collector/loadbalancing.yaml', {})),
    note(
      head(
        'collector-scaling',
        'When one Collector is not enough',
        'Tail sampling decides per trace, on one instance.',
        [lbHead.id],
      ),
      `One Collector (${PATHS.collector}) is enough for development and moderate traffic. With several, spans of one trace ` +
        `would land on different instances and each would decide on a fragment. Then run ${PATHS.collectorLoadbalancing} ` +
        'as the first tier that the services send to: its loadbalancing exporter routes by traceID (routing_key: traceID) ' +
        'to the sampling Collectors (found through DNS as otel-collector-sampling), which all run the tail-sampling config.',
    ),
  ];
}

/** Compose: the Collector in front of the backend; the backend's host OTLP ports move away so apps reach the Collector. */
async function planCollectorService(ctx: PlanContext, backend: string, after: string[]): Promise<Proposal[]> {
  const compose = await currentCompose(ctx);
  if (compose && findServiceByImage(compose.doc, COLLECTOR_IMAGE)) return [];
  const backendService =
    compose && BACKEND_IMAGE[backend] ? findServiceByImage(compose.doc, BACKEND_IMAGE[backend]!) : undefined;
  const addition = await ctx.templates.render('collector/compose.yaml', {
    configDir: CONFIG_DIR,
    slow: answer(ctx, 'tail-sampling') === 'errors-and-slow',
    vendor: backend === 'otlp-vendor',
    backendService: backendService ?? '',
  });
  const composeHead = head(
    'collector-service',
    'Run the Collector in front of the backend',
    'The services send to the Collector on 4317/4318; it forwards the traces it keeps.',
    after,
  );
  const merge = await planComposeMerge(ctx, composeHead, addition, (current) => {
    if (!backendService) return { text: current, moved: [] };
    const parsed = parseCompose(current);
    const taken = new Set(parsed.ok ? publishedHostPorts(parsed.doc).keys() : []);
    const moves = new Map<number, number>();
    for (const port of [4317, 4318]) {
      const to = alternativePort(port, taken);
      taken.add(to);
      moves.set(port, to);
    }
    const result = republishPorts(current, backendService, moves);
    return result.ok ? { text: result.text, moved: result.moved } : { text: current, moved: [] };
  });
  const out = [...merge.proposals];
  if (merge.malformed || merge.proposals.length === 0) return out;
  const lines = [
    'The services keep exporting to localhost:4317/4318, which is now the Collector; it forwards what it keeps to ' +
      `${backendService ?? backend} over the compose network. Start it with \`docker compose up -d otel-collector\`` +
      (backendService
        ? ` and restart ${backendService} (\`docker compose up -d ${backendService}\`) so its ports move.`
        : '.'),
    'The services must sample everything (OTEL_TRACES_SAMPLER=parentbased_always_on): a ratio in the SDKs would drop ' +
      'errors before the Collector sees them.',
  ];
  if (merge.moved.length > 0) lines.push('', 'Host ports moved:', describeMoves(merge.moved));
  if (backend === 'otlp-vendor')
    lines.push(
      'Give the Collector the vendor key in OTLP_VENDOR_AUTHORIZATION (your shell or secret store), not in a file.',
    );
  out.push(
    note(
      head('collector-start', 'Start the Collector', 'Apps now send to the Collector, which tail-samples.', [
        composeHead.id,
      ]),
      lines.join('\n'),
    ),
  );
  if (!(await ctx.tools.has('docker'))) {
    out.push(
      note(
        head('docker-missing', 'Docker is not installed here', 'The Collector runs as a container.'),
        `Docker is not on PATH: ${TOOL_HINTS.docker}. Without Docker, run otelcol-contrib with ${PATHS.collector} directly.`,
      ),
    );
  }
  return out;
}

/** Step 5: error-aware (and slow-aware) tail sampling in an OpenTelemetry Collector — never in Tempo or the SDKs. */
export const tailSamplingRecipe: Recipe = {
  id: 'tail-sampling-collector',
  step: STEP,
  scope: 'repo',
  appliesTo: (ctx) => {
    const mode = answer(ctx, 'tail-sampling');
    return mode === 'errors' || mode === 'errors-and-slow';
  },
  async plan(ctx) {
    const backend = String(answer(ctx, 'backend'));
    const compose = backend === 'local' ? undefined : await currentCompose(ctx);
    const backendService =
      compose && BACKEND_IMAGE[backend] ? findServiceByImage(compose.doc, BACKEND_IMAGE[backend]!) : undefined;

    const existing = await ctx.repo.read(PATHS.collector);
    if (existing !== undefined) {
      const parsed = parseYaml(existing);
      if (
        parsed.ok &&
        hasTailSampling(parsed.doc) &&
        (backend === 'local' || (compose && findServiceByImage(compose.doc, COLLECTOR_IMAGE)))
      ) {
        return planLoadbalancing(ctx);
      }
    }
    const rendered = await renderCollector(ctx, { backend, backendService });
    const proposals = await planCollectorConfig(ctx, rendered);
    if (backend === 'local') {
      if (proposals.length > 0) {
        proposals.push(
          note(
            head(
              'local-tail-sampling',
              'Tail sampling with the built-in receiver',
              "trace-guide's receiver stores; it does not sample.",
            ),
            `The built-in receiver keeps whatever arrives; it does not tail-sample. ${PATHS.collector} is ready for when you run ` +
              `an OpenTelemetry Collector (contrib) yourself: \`otelcol-contrib --config ${PATHS.collector}\` listens on ` +
              `127.0.0.1:${LOCAL_GRPC} (gRPC) and 127.0.0.1:${LOCAL_HTTP} (HTTP) — trace-guide holds 4317/4318 — and forwards ` +
              `the traces it keeps to the receiver on 127.0.0.1:4317. Point the services at http://localhost:${LOCAL_HTTP} ` +
              'then, and sample 100% in the SDKs (OTEL_TRACES_SAMPLER=parentbased_always_on).',
          ),
        );
      }
    } else {
      proposals.push(
        ...(await planCollectorService(
          ctx,
          backend,
          proposals.map((p) => p.id),
        )),
      );
    }
    proposals.push(...(await planLoadbalancing(ctx)));
    return proposals;
  },
};
