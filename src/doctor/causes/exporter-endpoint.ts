/**
 * Cause 5: the exporter's endpoint or protocol does not match the receiver — HTTP at the gRPC port, gRPC at the HTTP
 * port, /v1/traces twice, a signal endpoint without its path, an unknown OTEL_EXPORTER_OTLP_PROTOCOL.
 */
import type { Service } from '../../types/scan.js';
import { editFile } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import type { CheckContext } from '../../verify/check.js';
import { otelSettings, setting, type Setting } from '../../source-reading/otel-settings.js';
import { serviceSources } from '../../source-reading/repo-files.js';
import { evidence, type SourceFile } from '../../source-reading/code.js';
import type { RuntimeRun } from '../../verify/runtime/runtime-run.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { fromEvidence, headOf } from '../finding-helpers.js';
import { exporterOptionUrls } from './exporter-endpoint-options.js';

const ID = 'exporter-endpoint-mismatch' as const;

export interface ConfiguredEndpoint {
  /** The full URL text as written. */
  url: string;
  /** Where: an OTEL_* setting or an exporter's url option. */
  source: 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'exporter-url';
  file: string;
  line: number;
  text: string;
  /** The exporter the code uses: 'http' (otlp-http / otlp-proto), 'grpc', or unknown. */
  exporter?: 'http' | 'grpc';
  /** An exporter option the SDK sends to exactly as written (no /v1/traces added). */
  usedAsIs?: boolean;
}

function exporterKind(files: SourceFile[]): 'http' | 'grpc' | undefined {
  const all = files.map((f) => f.code).join('\n');
  if (/exporter-trace-otlp-grpc|otlptracegrpc|OTLPSpanExporter\b.*grpc/.test(all)) return 'grpc';
  if (/exporter-trace-otlp-(?:http|proto)|otlptracehttp|exporter\.otlp\.proto\.http/.test(all)) return 'http';
  return undefined;
}

/** Every endpoint the service is configured with, from OTEL_* settings and exporter url options in the code. */
export async function configuredEndpoints(
  ctx: CheckContext,
  service: Service,
): Promise<{ endpoints: ConfiguredEndpoint[]; settings: Setting[] }> {
  const settings = await otelSettings(ctx, service);
  const files = await serviceSources(ctx, service);
  const exporter = exporterKind(files);
  const endpoints: ConfiguredEndpoint[] = [];
  for (const s of settings) {
    if (s.name !== 'OTEL_EXPORTER_OTLP_ENDPOINT' && s.name !== 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') continue;
    endpoints.push({
      url: s.value,
      source: s.name,
      file: s.evidence.file,
      line: s.evidence.line,
      text: s.evidence.text ?? '',
      ...(exporter ? { exporter } : {}),
    });
  }
  // Only urls given to an OTLP exporter itself: a `url:` field in the application's data is not an exporter setting.
  for (const f of files) {
    for (const option of exporterOptionUrls(f)) {
      const e = evidence(f, option.index);
      endpoints.push({
        url: option.url,
        source: 'exporter-url',
        usedAsIs: option.usedAsIs,
        file: e.file,
        line: e.line,
        text: e.text ?? '',
        ...(exporter ? { exporter } : {}),
      });
    }
  }
  return { endpoints, settings };
}

function portOf(url: string): number | undefined {
  try {
    const u = new URL(url);
    return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  } catch {
    return undefined;
  }
}

function withPort(url: string, port: number): string {
  return url.replace(/^(https?:\/\/[^/:]+)(?::\d+)?/, `$1:${port}`);
}

function edit(service: Service, file: string, oldText: string, newText: string, why: string): Proposal[] {
  if (oldText === newText) return [];
  return [
    editFile(headOf(ID, service, `Fix the OTLP endpoint of ${service.name}`, why, 'backend'), file, [
      { old: oldText, new: newText },
    ]),
  ];
}

/** The endpoint each repo finding blames, to hold it against the run. */
const blamed = new WeakMap<Finding, ConfiguredEndpoint>();

/** Spans of the run that came from this service (by its name, or all of them when it was the only one started). */
function spansFrom(run: RuntimeRun, service: Service): number {
  const names = new Set([service.name, service.id]);
  const started = run.services.filter((s) => s.status === 'running');
  const only = started.length === 1 && started[0]!.service.id === service.id;
  return run.store.spans().filter((s) => only || names.has(s.serviceName)).length;
}

/**
 * Spans arrived from the service through the endpoint the finding blames: an exporter option (which no environment
 * variable overrides), or an OTEL_* setting the run kept (the doctor keeps a local one). Then the endpoint works.
 */
function refuted(run: RuntimeRun, finding: Finding, service: Service | undefined): string | undefined {
  const e = blamed.get(finding);
  if (!e || !service) return undefined;
  const arrived = spansFrom(run, service);
  if (arrived === 0) return undefined;
  const started = run.services.find((s) => s.service.id === service.id);
  const inUse =
    e.source === 'exporter-url' || (started?.ownEndpoint !== undefined && started.ownEndpoint.url === e.url);
  return inUse ? `${arrived} span(s) arrived from ${service.name} through ${e.url}` : undefined;
}

function lint(service: Service, e: ConfiguredEndpoint, protocol: Setting | undefined): Finding | undefined {
  const found = lintFinding(service, e, protocol);
  if (found) blamed.set(found, e);
  return found;
}

function lintFinding(service: Service, e: ConfiguredEndpoint, protocol: Setting | undefined): Finding | undefined {
  const grpc = protocol ? protocol.value === 'grpc' : e.exporter === 'grpc';
  const port = portOf(e.url);
  const at: DoctorEvidence = {
    file: e.file,
    line: e.line,
    text: e.text,
    note: `${e.source === 'exporter-url' ? 'the exporter url' : e.source} is ${e.url}`,
  };
  const found = (summary: string, fixed: string): Finding => ({
    cause: ID,
    service: service.id,
    summary: `${service.name}: ${summary}`,
    evidence: [
      at,
      ...(protocol ? [fromEvidence(protocol.evidence, `OTEL_EXPORTER_OTLP_PROTOCOL is ${protocol.value}`)] : []),
    ],
    confidence: 'medium',
    proposals: edit(service, e.file, e.url, fixed, summary),
  });
  if (!grpc && port === 4317)
    return found('an OTLP/HTTP exporter is pointed at 4317, the OTLP/gRPC port', withPort(e.url, 4318));
  if (grpc && port === 4318)
    return found('an OTLP/gRPC exporter is pointed at 4318, the OTLP/HTTP port', withPort(e.url, 4317));
  if (!grpc && e.source === 'OTEL_EXPORTER_OTLP_ENDPOINT' && /\/v1\/traces\/?$/.test(e.url)) {
    return found(
      'OTEL_EXPORTER_OTLP_ENDPOINT ends with /v1/traces, so the SDK sends to /v1/traces/v1/traces',
      e.url.replace(/\/v1\/traces\/?$/, ''),
    );
  }
  if (
    !grpc &&
    (e.source === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' || e.usedAsIs === true) &&
    !/\/v1\/traces\/?$/.test(e.url)
  ) {
    return found(
      `${e.source === 'exporter-url' ? 'the exporter url' : e.source} is used as is and lacks /v1/traces`,
      `${e.url.replace(/\/$/, '')}/v1/traces`,
    );
  }
  return undefined;
}

export const exporterEndpointCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const { endpoints, settings } = await configuredEndpoints(ctx, service);
      const protocol =
        setting(settings, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
      if (protocol && !['grpc', 'http/protobuf', 'http/json'].includes(protocol.value)) {
        out.push({
          cause: ID,
          service: service.id,
          summary: `${service.name}: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol.value} is not a protocol the SDK knows (grpc, http/protobuf, http/json)`,
          evidence: [fromEvidence(protocol.evidence, `OTEL_EXPORTER_OTLP_PROTOCOL is ${protocol.value}`)],
          confidence: 'high',
          proposals: protocol.evidence.text?.includes(protocol.value)
            ? edit(
                service,
                protocol.evidence.file,
                protocol.evidence.text,
                protocol.evidence.text.replace(protocol.value, 'http/protobuf'),
                'use a protocol the SDK knows',
              )
            : [],
        });
      }
      for (const e of endpoints) {
        const f = lint(service, e, protocol);
        if (f) out.push(f);
      }
    }
    return out;
  },
  refutedBy(ctx, run, finding) {
    return refuted(
      run,
      finding,
      ctx.services.find((s) => s.id === finding.service),
    );
  },
  async fromRun(ctx, run) {
    const arrivals = run.store.wrongProtocolArrivals();
    if (arrivals.length === 0) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const a of arrivals) {
      if (seen.has(a.kind)) continue;
      seen.add(a.kind);
      // Which service sent it: the one whose configured endpoint names the port it arrived at (else: any).
      let owner: Service | undefined;
      let configured: ConfiguredEndpoint | undefined;
      for (const service of ctx.services) {
        const { endpoints } = await configuredEndpoints(ctx, service);
        const hit = endpoints.find((e) => portOf(e.url) === a.port);
        if (hit) {
          owner = service;
          configured = hit;
          break;
        }
      }
      const evidenceList: DoctorEvidence[] = [
        {
          note: `${a.summary} (${a.method ?? ''} ${a.path ?? ''} at ${new Date(a.at).toISOString()}); no span arrived from it`,
        },
      ];
      if (configured)
        evidenceList.push({
          file: configured.file,
          line: configured.line,
          text: configured.text,
          note: `configured endpoint ${configured.url}`,
        });
      let proposals: Proposal[] = [];
      if (owner && configured) {
        if (a.kind === 'http1-at-grpc-port')
          proposals = edit(owner, configured.file, configured.url, withPort(configured.url, 4318), a.hint);
        else if (a.kind === 'grpc-at-http-port')
          proposals = edit(owner, configured.file, configured.url, withPort(configured.url, 4317), a.hint);
        else if (a.kind === 'wrong-path' && a.path?.startsWith('/v1/traces/'))
          proposals = edit(
            owner,
            configured.file,
            configured.url,
            configured.url.replace(/\/v1\/traces\/?$/, ''),
            a.hint,
          );
        else if (a.kind === 'wrong-path' && configured.source !== 'OTEL_EXPORTER_OTLP_ENDPOINT')
          proposals = edit(
            owner,
            configured.file,
            configured.url,
            `${configured.url.replace(/\/$/, '')}/v1/traces`,
            a.hint,
          );
      }
      out.push({
        cause: ID,
        ...(owner ? { service: owner.id } : {}),
        summary: `${owner ? `${owner.name}: ` : ''}the exporter sends to the wrong endpoint or protocol — ${a.summary}`,
        evidence: evidenceList,
        confidence: 'high',
        proposals,
      });
    }
    return out;
  },
};
