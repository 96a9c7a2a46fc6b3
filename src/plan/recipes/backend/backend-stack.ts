import { answer, type PlanContext } from '../../context.js';
import { createFile, editFile, note, type ProposalHead } from '../../proposal-builders.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../recipe.js';
import { TOOL_HINTS } from '../../tool-lookup.js';
import { exporterSettings } from '../exporter.js';
import { findServiceByImage, type PortMove } from '../../../yaml/compose-merge.js';
import { currentCompose, describeMoves, planComposeMerge } from './compose-proposal.js';
import { CONFIG_DIR, PATHS } from './paths.js';

const STEP = 'backend' as const;
/** How long the development stack keeps traces (Tempo's compactor block_retention). */
export const TEMPO_RETENTION = '72h';

/** Images that mean "this backend already runs in the compose file", whatever the service is called. */
const CURRENT_IMAGE: Record<string, RegExp> = {
  jaeger: /(^|\/)jaegertracing\/jaeger:/,
  tempo: /(^|\/)grafana\/tempo:/,
  zipkin: /(^|\/)openzipkin\/zipkin(-slim)?:/,
};
const JAEGER_V1_IMAGE = /(^|\/)jaegertracing\/all-in-one(:|$)/;

interface ConfigFile {
  path: string;
  template: string;
  title: string;
  why: string;
}

const CONFIG_FILES: Record<string, ConfigFile[]> = {
  jaeger: [],
  tempo: [
    {
      path: PATHS.tempo,
      template: 'backend/tempo/tempo.yaml',
      title: 'Add the Tempo configuration',
      why: 'OTLP receivers on 0.0.0.0:4317/4318, local storage and an explicit retention.',
    },
    {
      path: PATHS.tempoS3,
      template: 'backend/tempo/tempo.s3.yaml',
      title: 'Add a Tempo configuration for S3 (production)',
      why: 'The same Tempo with object storage; credentials come from the environment or an IAM role.',
    },
    {
      path: PATHS.prometheus,
      template: 'backend/tempo/prometheus.yml',
      title: 'Add the Prometheus configuration',
      why: 'Prometheus receives the span metrics Tempo derives (step 6).',
    },
    {
      path: PATHS.datasources,
      template: 'grafana/datasources.yaml',
      title: 'Provision the Grafana datasources',
      why: 'Grafana opens with Tempo and Prometheus already connected.',
    },
  ],
  zipkin: [
    {
      path: PATHS.collector,
      template: 'collector/zipkin.yaml',
      title: 'Add the OpenTelemetry Collector configuration (OTLP → Zipkin)',
      why: 'Zipkin does not accept OTLP; the Collector translates.',
    },
  ],
};

/** What to open once the containers run: service, container port, label. */
const LOOK_AT: Record<string, Array<{ service: string; port: number; label: string }>> = {
  jaeger: [{ service: 'jaeger', port: 16686, label: 'Jaeger UI' }],
  tempo: [
    { service: 'grafana', port: 3000, label: 'Grafana (Explore → Tempo)' },
    { service: 'tempo', port: 3200, label: 'Tempo API (/ready)' },
  ],
  zipkin: [{ service: 'zipkin', port: 9411, label: 'Zipkin UI' }],
};
const OTLP_SERVICE: Record<string, string> = { jaeger: 'jaeger', tempo: 'tempo', zipkin: 'otel-collector' };

function head(id: string, title: string, why: string, after: string[] = []): ProposalHead {
  return { id, step: STEP, title, why, after };
}

/** The host port a container port ends up on, after any move. */
function hostPort(moved: PortMove[], service: string, port: number): number {
  return moved.find((m) => m.service === service && m.from === port)?.to ?? port;
}

async function containerBackend(ctx: PlanContext, backend: 'jaeger' | 'tempo' | 'zipkin'): Promise<Proposal[]> {
  const proposals: Proposal[] = [];
  const vars = { configDir: CONFIG_DIR, retention: TEMPO_RETENTION };
  for (const file of CONFIG_FILES[backend] ?? []) {
    if (await ctx.repo.exists(file.path)) continue;
    const slug = file.path
      .split('/')
      .pop()!
      .replace(/\.(ya?ml)$/, '')
      .replace(/[^a-z0-9]+/gi, '-');
    proposals.push(
      createFile(
        head(`config-${slug}`, file.title, file.why),
        file.path,
        await ctx.templates.render(file.template, vars),
      ),
    );
  }

  const compose = await currentCompose(ctx);
  const runningAlready = compose ? findServiceByImage(compose.doc, CURRENT_IMAGE[backend]!) : undefined;
  const v1 = backend === 'jaeger' && compose ? findServiceByImage(compose.doc, JAEGER_V1_IMAGE) : undefined;
  if (v1) {
    proposals.push(
      note(
        head(
          'jaeger-v1-found',
          `Migrate the "${v1}" service to Jaeger v2`,
          'Jaeger v1 (all-in-one 1.x) is end-of-life.',
        ),
        `${compose!.file.path} runs "${v1}" with ${compose!.doc.getIn(['services', v1, 'image'])}, Jaeger v1, which is ` +
          `end-of-life. trace-guide did not add a second Jaeger next to it. Change its image to jaegertracing/jaeger:2.15.0, ` +
          `publish 16686, 4317 and 4318, and drop the v1 agent and collector ports (6831/udp, 6832/udp, 5775/udp, 5778, ` +
          `14250, 14268, 14269): the SDKs send OTLP now. Then plan this step again.`,
      ),
    );
    return proposals;
  }
  if (runningAlready) return proposals;

  const addition = await ctx.templates.render(`backend/${backend}/compose.yaml`, vars);
  const composeHead = head(
    'compose',
    `Add ${backend === 'tempo' ? 'Tempo, Prometheus and Grafana' : backend === 'zipkin' ? 'Zipkin and an OpenTelemetry Collector' : 'Jaeger v2'} to the compose file`,
    'One `docker compose up -d` starts the trace backend.',
    proposals.map((p) => p.id),
  );
  const merge = await planComposeMerge(ctx, composeHead, addition);
  proposals.push(...merge.proposals);
  if (merge.malformed || merge.added.length === 0) return proposals;

  const lines = [
    `Start it with \`docker compose up -d ${merge.added.filter((s) => s !== 'tempo-init').join(' ')}\` (from the repo root; ${merge.path}).`,
    ...LOOK_AT[backend]!.map((l) => `- ${l.label}: http://localhost:${hostPort(merge.moved, l.service, l.port)}`),
    `- OTLP: gRPC localhost:${hostPort(merge.moved, OTLP_SERVICE[backend]!, 4317)}, HTTP http://localhost:${hostPort(merge.moved, OTLP_SERVICE[backend]!, 4318)}`,
    'No traces are expected yet: the services are instrumented in the next step.',
  ];
  if (backend === 'jaeger')
    lines.push(
      'Storage is in memory (bounded, lost on restart); mount a config with Badger and a span TTL to keep traces.',
    );
  if (backend === 'tempo')
    lines.push(
      `Traces are kept for ${TEMPO_RETENTION} (compactor block_retention in ${PATHS.tempo}); for production volumes use ${PATHS.tempoS3} with -config.expand-env=true and S3 credentials from the environment or an IAM role.`,
    );
  if (merge.moved.length > 0) {
    lines.push(
      '',
      'Some host ports were already taken, so these were published elsewhere:',
      describeMoves(merge.moved),
    );
    const otlp = merge.moved.filter((m) => m.service === OTLP_SERVICE[backend] && (m.from === 4317 || m.from === 4318));
    if (otlp.length > 0) lines.push('Point OTEL_EXPORTER_OTLP_ENDPOINT at the moved OTLP port, or free 4317/4318.');
  }
  proposals.push(
    note(
      head('start-backend', 'Start the backend and look', 'How to run what was added.', [composeHead.id]),
      lines.join('\n'),
    ),
  );

  if (!(await ctx.tools.has('docker'))) {
    proposals.push(
      note(
        head('docker-missing', 'Docker is not installed here', 'The proposed containers need Docker (with Compose).'),
        `Docker is not on PATH, so the files are proposed but cannot be started here: ${TOOL_HINTS.docker}. ` +
          "Or answer `local` to the backend question: trace-guide's built-in receiver needs nothing installed.",
      ),
    );
  }
  return proposals;
}

async function vendorBackend(ctx: PlanContext): Promise<Proposal[]> {
  const { endpoint, protocol } = exporterSettings(ctx);
  const example = await ctx.repo.read('.env.example');
  if (example !== undefined && /^\s*OTEL_EXPORTER_OTLP_ENDPOINT\s*=/m.test(example)) return [];
  const block = await ctx.templates.render('backend/vendor/env.example', { endpoint, protocol });
  const envHead = head(
    'env-example',
    'Document the OTLP settings in .env.example',
    'The endpoint is shared; the credentials stay out of the repo.',
  );
  const file =
    example === undefined
      ? createFile(envHead, '.env.example', block)
      : example.trim() === ''
        ? note(envHead, `.env.example is empty; add these lines to it:\n${block}`)
        : editFile(envHead, '.env.example', [
            { old: example, new: `${example}${example.endsWith('\n') ? '' : '\n'}\n${block}` },
          ]);
  return [
    file,
    note(
      head(
        'vendor-credentials',
        "Give the services the vendor's endpoint and key",
        'Credentials belong in the environment, never in files.',
        [envHead.id],
      ),
      `The services export to ${endpoint} over ${protocol}. Set in each service's environment (shell, CI secrets, ` +
        `your deployment's secret store — not a committed file):\n` +
        `  OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}\n  OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}\n` +
        `  OTEL_EXPORTER_OTLP_HEADERS=<header>=<your key>   (e.g. authorization=Bearer …, api-key=…; see your vendor's OTLP docs)\n` +
        'trace-guide never writes the key into the repository.',
    ),
  ];
}

function localBackend(): Proposal[] {
  return [
    note(
      head(
        'local-receiver',
        "Use trace-guide's built-in receiver",
        'Nothing to install: the receiver is part of trace-guide.',
      ),
      'The built-in receiver listens on 127.0.0.1:4317 (OTLP gRPC) and 127.0.0.1:4318 (OTLP HTTP) while trace-guide runs ' +
        '(it starts with the checks and stops when they finish) and shows what arrives. The services keep their default ' +
        'endpoint http://localhost:4318 (or :4317 for gRPC), so nothing changes in the repo now. Nothing here needs Docker; ' +
        'switch to jaeger or tempo later for a UI that keeps traces.',
    ),
  ];
}

/** Step 1: the backend the user chose, as compose services and config files (or a note for vendor / local). */
export const backendStackRecipe: Recipe = {
  id: 'backend-stack',
  step: STEP,
  scope: 'repo',
  appliesTo: () => true,
  async plan(ctx) {
    const backend = String(answer(ctx, 'backend'));
    if (backend === 'jaeger' || backend === 'tempo' || backend === 'zipkin') return containerBackend(ctx, backend);
    if (backend === 'otlp-vendor') return vendorBackend(ctx);
    return localBackend();
  },
};
