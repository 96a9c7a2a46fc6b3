/**
 * Where the backend of step 1 is reached from this machine: the OTLP endpoint the probe span goes to and the base URLs
 * of the query APIs. Taken from the compose file the backend step wrote (the published host ports, so a port the
 * recipe moved, e.g. 4318 → 14318, is honoured), overridable by environment variables:
 * TRACE_GUIDE_OTLP_URL (OTLP/HTTP base), TRACE_GUIDE_JAEGER_URL, TRACE_GUIDE_TEMPO_URL, TRACE_GUIDE_ZIPKIN_URL,
 * TRACE_GUIDE_PROMETHEUS_URL (and TRACE_GUIDE_GRAFANA_URL).
 */
import type { CheckContext } from '../../check.js';
import type { CheckResult } from '../../../types/check-result.js';
import { answerOf } from '../../../skill/lookup.js';
import {
  findService,
  hostPortFor,
  readCompose,
  startCommand,
  type ComposeFacts,
  type ComposeService,
} from './compose-ports.js';

export type BackendKind = 'jaeger' | 'tempo' | 'zipkin' | 'otlp-vendor' | 'local';
export type Evidence = CheckResult['evidence'][number];

export type RoleId = 'otlpHttp' | 'otlpGrpc' | 'jaeger' | 'tempo' | 'zipkin' | 'grafana' | 'prometheus';

/** A compose service that plays a part in the backend. */
interface ServiceSpec {
  image: RegExp;
  names: readonly string[];
  label: string;
}

const SERVICES = {
  jaeger: { image: /(^|\/)jaegertracing\/jaeger:/, names: ['jaeger'], label: 'Jaeger v2' },
  tempo: { image: /(^|\/)grafana\/tempo(:|$)/, names: ['tempo'], label: 'Tempo' },
  zipkin: { image: /(^|\/)openzipkin\/zipkin(-slim)?(:|$)/, names: ['zipkin'], label: 'Zipkin' },
  collector: {
    image: /(^|\/)(otel\/opentelemetry-collector(-contrib)?|otelcol(-contrib)?)(:|$)/,
    names: ['otel-collector', 'collector'],
    label: 'the OpenTelemetry Collector',
  },
  grafana: { image: /(^|\/)grafana\/grafana(-oss|-enterprise)?(:|$)/, names: ['grafana'], label: 'Grafana' },
  prometheus: { image: /(^|\/)prom\/prometheus(:|$)/, names: ['prometheus'], label: 'Prometheus' },
} satisfies Record<string, ServiceSpec>;

interface RoleSpec {
  service: ServiceSpec;
  containerPort: number;
  what: string;
  envVar?: string;
  scheme: 'http';
}

/** Which compose service and container port each role is, per backend. */
function rolesOf(kind: BackendKind): Partial<Record<RoleId, RoleSpec>> {
  const otlpService = kind === 'jaeger' ? SERVICES.jaeger : kind === 'tempo' ? SERVICES.tempo : SERVICES.collector;
  const otlp = {
    otlpHttp: {
      service: otlpService,
      containerPort: 4318,
      what: 'OTLP/HTTP',
      envVar: 'TRACE_GUIDE_OTLP_URL',
      scheme: 'http',
    },
    otlpGrpc: { service: otlpService, containerPort: 4317, what: 'OTLP/gRPC', scheme: 'http' },
  } satisfies Partial<Record<RoleId, RoleSpec>>;
  if (kind === 'jaeger') {
    return {
      ...otlp,
      jaeger: {
        service: SERVICES.jaeger,
        containerPort: 16686,
        what: 'the Jaeger UI and query API',
        envVar: 'TRACE_GUIDE_JAEGER_URL',
        scheme: 'http',
      },
    };
  }
  if (kind === 'tempo') {
    return {
      ...otlp,
      tempo: {
        service: SERVICES.tempo,
        containerPort: 3200,
        what: "Tempo's HTTP API",
        envVar: 'TRACE_GUIDE_TEMPO_URL',
        scheme: 'http',
      },
      grafana: {
        service: SERVICES.grafana,
        containerPort: 3000,
        what: 'Grafana',
        envVar: 'TRACE_GUIDE_GRAFANA_URL',
        scheme: 'http',
      },
      prometheus: {
        service: SERVICES.prometheus,
        containerPort: 9090,
        what: "Prometheus's HTTP API",
        envVar: 'TRACE_GUIDE_PROMETHEUS_URL',
        scheme: 'http',
      },
    };
  }
  if (kind === 'zipkin') {
    return {
      ...otlp,
      zipkin: {
        service: SERVICES.zipkin,
        containerPort: 9411,
        what: 'the Zipkin UI and API',
        envVar: 'TRACE_GUIDE_ZIPKIN_URL',
        scheme: 'http',
      },
    };
  }
  return {};
}

export interface Endpoint {
  /** Base URL without a trailing slash. */
  url: string;
  /** Where the URL came from: the compose entry (file:line) or an environment variable. */
  source: Evidence;
  /** The compose service behind it, when it came from the compose file. */
  composeService?: string;
  /** The command that starts it, when it came from the compose file. */
  start?: string;
}

/** A role the compose file gets clearly wrong (not published, or published to the wrong container port). */
export interface Misconfiguration {
  summary: string;
  evidence: Evidence[];
  fix: string;
}

export type RoleResolution =
  | { ok: true; endpoint: Endpoint }
  | { ok: false; misconfigured: Misconfiguration }
  | { ok: false; absent: string };

export interface BackendTarget {
  kind: BackendKind;
  compose?: ComposeFacts;
  /** Set when the compose file exists but does not parse. */
  composeError?: { path: string; message: string };
  role(id: RoleId): RoleResolution | undefined;
}

export function backendKind(ctx: Pick<CheckContext, 'skill' | 'inputs'>): BackendKind {
  const value = String(answerOf(ctx.skill, 'backend', ctx.inputs) ?? 'jaeger');
  return (['jaeger', 'tempo', 'zipkin', 'otlp-vendor', 'local'] as const).find((k) => k === value) ?? 'jaeger';
}

function trimUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function hostFor(ip: string | undefined): string {
  if (ip === undefined || ip === '' || ip === '0.0.0.0' || ip === '[::]' || ip === '::') return '127.0.0.1';
  return ip;
}

/** Ports that are the other half of a pair, so a swap is recognisable: 4317 ↔ 4318 (also 14317 ↔ 14318). */
function describeContainerPort(port: number): string {
  const known: Record<number, string> = {
    4317: 'OTLP/gRPC',
    4318: 'OTLP/HTTP',
    16686: 'the Jaeger UI',
    3200: "Tempo's API",
    9411: 'Zipkin',
    3000: 'Grafana',
    9090: 'Prometheus',
  };
  return known[port] ? `${port} (${known[port]})` : String(port);
}

function resolveRole(compose: ComposeFacts | undefined, spec: RoleSpec, env: NodeJS.ProcessEnv): RoleResolution {
  const override = spec.envVar ? env[spec.envVar] : undefined;
  if (override !== undefined && override.trim() !== '') {
    return {
      ok: true,
      endpoint: {
        url: trimUrl(override),
        source: { note: `${spec.what} at ${trimUrl(override)} (from ${spec.envVar})` },
      },
    };
  }
  if (!compose)
    return {
      ok: false,
      absent: `there is no compose file at the repo root${spec.envVar ? ` and ${spec.envVar} is not set` : ''}`,
    };
  const service: ComposeService | undefined = findService(compose, spec.service.image, spec.service.names);
  if (!service) return { ok: false, absent: `${compose.path} has no ${spec.service.label} service` };
  const published = hostPortFor(service, spec.containerPort);
  if (published) {
    const url = `${spec.scheme}://${hostFor(published.ip)}:${published.host}`;
    return {
      ok: true,
      endpoint: {
        url,
        source: {
          file: compose.path,
          line: published.line,
          text: `${service.name}: "${published.text}" → ${spec.what} at ${url}`,
        },
        composeService: service.name,
        start: startCommand(compose.path, [service.name]),
      },
    };
  }
  // The container port is not published. Is its usual host port sent somewhere else (e.g. "4318:4317")?
  const hijacked = service.ports.find(
    (p) => p.host === spec.containerPort || p.host % 10000 === spec.containerPort % 10000,
  );
  const evidence: Evidence[] = [
    { file: compose.path, line: service.line, text: `${service.name} (${service.image ?? 'no image'})` },
  ];
  if (hijacked) {
    evidence.push({ file: compose.path, line: hijacked.line, text: hijacked.text });
    return {
      ok: false,
      misconfigured: {
        summary: `${compose.path}: ${service.name} publishes host port ${hijacked.host} to container port ${describeContainerPort(hijacked.container)}, so ${spec.what} (container port ${spec.containerPort}) is not reachable`,
        evidence,
        fix: `publish "${hijacked.host}:${spec.containerPort}" for ${service.name} in ${compose.path}, then \`${startCommand(compose.path, [service.name])}\``,
      },
    };
  }
  return {
    ok: false,
    misconfigured: {
      summary: `${compose.path}: ${service.name} does not publish container port ${spec.containerPort} (${spec.what}), so nothing on this machine can reach it`,
      evidence,
      fix: `add "${spec.containerPort}:${spec.containerPort}" under ${service.name}.ports in ${compose.path}, then \`${startCommand(compose.path, [service.name])}\``,
    },
  };
}

export async function resolveBackendTarget(ctx: CheckContext, env: NodeJS.ProcessEnv): Promise<BackendTarget> {
  const kind = backendKind(ctx);
  const read = await readCompose(ctx.repo);
  const compose = read?.ok ? read.compose : undefined;
  const roles = rolesOf(kind);
  const cache = new Map<RoleId, RoleResolution>();
  return {
    kind,
    ...(compose ? { compose } : {}),
    ...(read && !read.ok ? { composeError: { path: read.path, message: read.message } } : {}),
    role(id) {
      const spec = roles[id];
      if (!spec) return undefined;
      let resolved = cache.get(id);
      if (!resolved) {
        resolved = resolveRole(compose, spec, env);
        cache.set(id, resolved);
      }
      return resolved;
    },
  };
}
