/**
 * exporter-endpoint-matches-protocol: gRPC exporters talk to 4317, HTTP exporters to 4318. The base endpoint variable
 * (OTEL_EXPORTER_OTLP_ENDPOINT) must not carry /v1/traces (the HTTP exporter appends it), while the signal-specific
 * variable and an HTTP exporter's url in code must. The protocol setting must match the exporter package the service
 * has, and inside a container the host cannot be localhost.
 */
import type { Evidence, Service } from '../../../types/scan.js';
import type { Check, CheckContext } from '../../check.js';
import { inService } from '../../../plan/context.js';
import { callArgs, evidence, firstString } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { javaEndpointFindings } from './support/java-agent-findings.js';
import { javaServices } from '../../../source-reading/java-agent.js';
import { checkedServices, readText } from '../../../source-reading/repo-files.js';
import { otelSettings, setting } from '../../../source-reading/otel-settings.js';
import { noSdkMessage, sdkSetup } from '../../../source-reading/sdk-setup.js';

const ITEM = 'exporter-endpoint-matches-protocol';

type Protocol = 'grpc' | 'http';
interface Endpoint {
  url: string;
  /** 'base' gets /v1/traces appended by HTTP exporters; 'full' must carry it; 'hostport' is Go's WithEndpoint. */
  kind: 'base' | 'full' | 'hostport';
  protocol?: Protocol;
  source: string;
  evidence: Evidence;
  inContainer?: boolean;
}

export const exporterEndpointMatchesProtocol: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    for (const service of checkedServices(ctx)) findings.push(...(await serviceFindings(ctx, service)));
    for (const service of javaServices(ctx)) findings.push(...(await javaEndpointFindings(ctx, service)));
    return combine(ITEM, findings, 'no Node, Python, Go or Java service to check');
  },
};

function protocolOf(value: string): Protocol | undefined {
  const v = value.trim().toLowerCase();
  return v === 'grpc' ? 'grpc' : v.startsWith('http/') ? 'http' : undefined;
}

function portOf(url: string): number | undefined {
  const m = /:(\d{2,5})(?:\/|$)/.exec(url.replace(/^[a-z]+:\/\//i, 'x://'));
  return m ? Number(m[1]) : undefined;
}

const PORT_OF: Record<Protocol, number> = { grpc: 4317, http: 4318 };
const NAME: Record<Protocol, string> = { grpc: 'gRPC', http: 'HTTP' };

async function packageProtocols(ctx: CheckContext, service: Service): Promise<Set<Protocol>> {
  const out = new Set<Protocol>();
  const manifests =
    service.language === 'node'
      ? ['package.json']
      : service.language === 'python'
        ? ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py']
        : ['go.mod'];
  for (const m of manifests) {
    const text = await readText(ctx, inService(service, m));
    if (!text) continue;
    if (/exporter-trace-otlp-grpc|opentelemetry-exporter-otlp-proto-grpc|otlptracegrpc/.test(text)) out.add('grpc');
    if (/exporter-trace-otlp-(?:proto|http)|opentelemetry-exporter-otlp-proto-http|otlptracehttp/.test(text))
      out.add('http');
    if (/opentelemetry-exporter-otlp["'\s=<>~!\n]/.test(text + '\n')) {
      out.add('grpc');
      out.add('http');
    }
    if (/@opentelemetry\/sdk-node/.test(text)) {
      // NodeSDK ships all three OTLP trace exporters and picks one from OTEL_EXPORTER_OTLP_PROTOCOL.
      out.add('grpc');
      out.add('http');
    }
  }
  return out;
}

async function serviceFindings(ctx: CheckContext, service: Service): Promise<Finding[]> {
  const setup = await sdkSetup(ctx, service);
  if (setup.setupFiles.length === 0 && !setup.agentStart)
    return [{ status: 'fail', message: noSdkMessage(service), evidence: [] }];
  const settings = await otelSettings(ctx, service);
  const protoSetting =
    setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? setting(settings, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  const endpoints: Endpoint[] = [];
  const base = setting(settings, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const traces = setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const composeEnv = (e: Evidence) => /(?:^|\/)(?:docker-)?compose[\w.-]*\.ya?ml$/.test(e.file);
  if (base)
    endpoints.push({
      url: base.value,
      kind: 'base',
      source: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      evidence: base.evidence,
      inContainer: composeEnv(base.evidence),
    });
  if (traces)
    endpoints.push({
      url: traces.value,
      kind: 'full',
      source: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      evidence: traces.evidence,
      inContainer: composeEnv(traces.evidence),
    });
  let protocol: Protocol | undefined = protoSetting ? protocolOf(protoSetting.value) : undefined;
  let protocolEvidence: Evidence | undefined = protoSetting?.evidence;

  // Exporters constructed in code, with the protocol their package implies.
  for (const f of setup.files) {
    if (f.lang === 'go') {
      const p = /\b\w*Protocol\w*\s*=\s*"(grpc|http\/protobuf|http\/json)"/i.exec(f.code);
      if (p && !protocol) {
        protocol = protocolOf(p[1]!);
        protocolEvidence = evidence(f, p.index);
      }
      const e = /\b\w*Endpoint\w*\s*=\s*"([a-z]+:\/\/[^"]+)"/i.exec(f.code);
      if (e && !base)
        endpoints.push({
          url: e[1]!,
          kind: 'base',
          source: 'the default endpoint in code',
          evidence: evidence(f, e.index),
        });
      for (const m of f.code.matchAll(/\botlptrace(grpc|http)\.WithEndpoint(URL)?\s*\(/g)) {
        // Only a plain string literal says where it goes; an expression is resolved at run time.
        const args = callArgs(f, m.index + m[0].length - 1).text.trim();
        const lit = /^"[^"]*"$/.test(args) ? firstString(args) : undefined;
        if (lit === undefined) continue;
        endpoints.push({
          url: lit,
          kind: m[2] ? 'full' : 'hostport',
          protocol: m[1] === 'grpc' ? 'grpc' : 'http',
          source: `otlptrace${m[1]}.WithEndpoint${m[2] ?? ''}`,
          evidence: evidence(f, m.index),
        });
      }
    } else if (f.lang === 'node') {
      const pkg = /@opentelemetry\/exporter-trace-otlp-(grpc|proto|http)/.exec(f.code);
      if (!pkg) continue;
      const p: Protocol = pkg[1] === 'grpc' ? 'grpc' : 'http';
      for (const m of f.code.matchAll(/new\s+OTLPTraceExporter\s*\(/g)) {
        const args = callArgs(f, m.index + m[0].length - 1).text;
        const url = /\burl\s*:\s*(['"`])([^'"`]+)\1/.exec(args);
        if (url)
          endpoints.push({
            url: url[2]!,
            kind: p === 'http' ? 'full' : 'hostport',
            protocol: p,
            source: `OTLPTraceExporter from exporter-trace-otlp-${pkg[1]}`,
            evidence: evidence(f, m.index),
          });
        else if (protoSetting && protocolOf(protoSetting.value) !== p) {
          endpoints.push({
            url: '',
            kind: 'base',
            protocol: p,
            source: `OTLPTraceExporter from exporter-trace-otlp-${pkg[1]}`,
            evidence: evidence(f, m.index),
          });
        }
      }
    } else {
      for (const m of f.code.matchAll(
        /from\s+opentelemetry\.exporter\.otlp\.proto\.(grpc|http)\.trace_exporter\s+import/g,
      )) {
        const p: Protocol = m[1] === 'grpc' ? 'grpc' : 'http';
        for (const c of f.code.matchAll(/\bOTLPSpanExporter\s*\(/g)) {
          const args = callArgs(f, c.index + c[0].length - 1).text;
          const url = /\bendpoint\s*=\s*(['"])([^'"]+)\1/.exec(args);
          if (url)
            endpoints.push({
              url: url[2]!,
              kind: p === 'http' ? 'full' : 'hostport',
              protocol: p,
              source: `OTLPSpanExporter (proto.${m[1]})`,
              evidence: evidence(f, c.index),
            });
        }
      }
    }
  }

  const installed = await packageProtocols(ctx, service);
  const defaultProtocol: Protocol | undefined =
    protocol ?? (service.language === 'node' ? 'http' : installed.size === 1 ? [...installed][0] : undefined);
  const problems: Finding[] = [];
  const name = service.name;
  if (protocol && installed.size > 0 && !installed.has(protocol)) {
    problems.push({
      status: 'fail',
      message: `${name}: the protocol is ${NAME[protocol]} but only the ${NAME[[...installed][0]!]} OTLP exporter is installed`,
      evidence: protocolEvidence ? [protocolEvidence] : [],
      fix: `Install the ${NAME[protocol]} exporter package, or set OTEL_EXPORTER_OTLP_PROTOCOL to match the installed one.`,
    });
  }
  for (const e of endpoints) {
    const p = e.protocol ?? defaultProtocol;
    if (e.url === '' && e.protocol && protocol && e.protocol !== protocol) {
      problems.push({
        status: 'fail',
        message: `${name}: ${e.source} is ${NAME[e.protocol]} but OTEL_EXPORTER_OTLP_PROTOCOL says ${NAME[protocol]}`,
        evidence: [e.evidence, ...(protocolEvidence ? [protocolEvidence] : [])],
        fix: 'Use the exporter package that matches the protocol setting.',
      });
      continue;
    }
    if (e.url === '') continue;
    const port = portOf(e.url);
    if (p && port !== undefined && (port === 4317 || port === 4318) && port !== PORT_OF[p]) {
      problems.push({
        status: 'fail',
        message: `${name}: ${e.source} points at port ${port} but the exporter speaks ${NAME[p]} (port ${PORT_OF[p]})`,
        evidence: [e.evidence, ...(protocolEvidence && !e.protocol ? [protocolEvidence] : [])],
        fix: `Use :${PORT_OF[p]} for ${NAME[p]}, or switch the protocol (grpc ↔ 4317, http/protobuf ↔ 4318).`,
      });
    }
    if (e.kind === 'base' && /\/v1\/traces\/?$/.test(e.url)) {
      problems.push({
        status: 'fail',
        message: `${name}: ${e.source} ends in /v1/traces, but HTTP exporters append it to the base endpoint (→ /v1/traces/v1/traces)`,
        evidence: [e.evidence],
        fix: `Drop /v1/traces from ${e.source}, or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT instead.`,
      });
    }
    if (e.kind === 'full' && p === 'http' && !/\/v1\/traces\/?$/.test(e.url)) {
      problems.push({
        status: 'fail',
        message: `${name}: ${e.source} is used as-is by the HTTP exporter and lacks the /v1/traces path`,
        evidence: [e.evidence],
        fix: 'Append /v1/traces to the signal-specific endpoint (or set the base OTEL_EXPORTER_OTLP_ENDPOINT without a path).',
      });
    }
    if (e.inContainer && /\/\/(?:localhost|127\.0\.0\.1)\b/.test(e.url)) {
      problems.push({
        status: 'fail',
        message: `${name}: runs in a container but exports to ${e.url}, which is the container itself`,
        evidence: [e.evidence],
        fix: "Use the backend's compose service name (e.g. http://otel-collector:4318) inside containers.",
      });
    }
  }
  if (problems.length > 0) return problems;
  const shown = endpoints.filter((e) => e.url !== '');
  if (shown.length === 0) {
    return [
      {
        status: 'pass',
        message: `${name}: no endpoint set, so the SDK default for ${defaultProtocol ? NAME[defaultProtocol] : 'its exporter'} applies (localhost:${defaultProtocol ? PORT_OF[defaultProtocol] : '4317/4318'})`,
        evidence: protocolEvidence ? [protocolEvidence] : [],
      },
    ];
  }
  return [
    {
      status: 'pass',
      message: `${name}: ${shown.map((e) => e.url).join(', ')} matches ${defaultProtocol ? NAME[defaultProtocol] : 'the exporter'}`,
      evidence: [...shown.map((e) => e.evidence), ...(protocolEvidence ? [protocolEvidence] : [])],
    },
  ];
}
