/**
 * The step-2 static findings for a Java service, read from how its JVM is started (source-reading/java-agent.ts): the
 * OpenTelemetry Java agent attached with -javaagent: starts before any application class loads, flushes its batch
 * processor from a JVM shutdown hook (SIGTERM runs shutdown hooks; the runtime half of spans-flushed-on-shutdown proves
 * it), and reads its exporter settings from the environment over its configuration file.
 */
import type { Service } from '../../../../types/scan.js';
import type { SourceContext } from '../../../../source-reading/source-context.js';
import { javaAgentSetup, type JavaAgentSetup } from '../../../../source-reading/java-agent.js';
import { otelSettings, setting } from '../../../../source-reading/otel-settings.js';
import type { Finding } from './result.js';

const ATTACH_FIX =
  "Fetch io.opentelemetry.javaagent:opentelemetry-javaagent in the build and start the JVM with -javaagent:<path to the jar> (spring-boot-maven-plugin <jvmArguments>, the Dockerfile's java command, or JAVA_TOOL_OPTIONS).";

function notAttached(service: Service, setup: JavaAgentSetup): Finding {
  if (setup.starter) {
    return {
      status: 'warn',
      message: `${service.name}: the OpenTelemetry Spring Boot starter is in the build; trace-guide does not judge the starter's set-up yet (the runtime checks still say whether spans arrive)`,
      evidence: [setup.starter],
    };
  }
  const other = setup.otherAgent
    ? ` (${setup.otherAgent.text ?? 'another -javaagent:'} is attached, not OpenTelemetry's)`
    : '';
  return {
    status: 'fail',
    message: `${service.name}: no start of the JVM attaches the OpenTelemetry Java agent${other}`,
    evidence: setup.otherAgent ? [setup.otherAgent] : service.start ? [service.start.evidence] : [],
    fix: ATTACH_FIX,
  };
}

export async function javaStartFinding(ctx: SourceContext, service: Service): Promise<Finding> {
  const setup = await javaAgentSetup(ctx, service);
  if (!setup.attached) return notAttached(service, setup);
  return {
    status: 'pass',
    message: `${service.name}: the JVM starts with the OpenTelemetry Java agent (-javaagent:), which instruments classes as they load`,
    evidence: [setup.attached],
  };
}

export async function javaFlushFinding(ctx: SourceContext, service: Service): Promise<Finding> {
  const setup = await javaAgentSetup(ctx, service);
  if (!setup.attached) return notAttached(service, setup);
  return {
    status: 'pass',
    message: `${service.name}: the OpenTelemetry Java agent flushes its spans from a JVM shutdown hook, which SIGTERM runs`,
    evidence: [setup.attached],
  };
}

const PORT_OF = { grpc: 4317, 'http/protobuf': 4318, 'http/json': 4318 } as const;

export async function javaEndpointFindings(ctx: SourceContext, service: Service): Promise<Finding[]> {
  const setup = await javaAgentSetup(ctx, service);
  if (!setup.attached) return [notAttached(service, setup)];
  // The environment overrides the agent's configuration file: its settings come last, so setting() picks them.
  const settings = [...setup.settings, ...(await otelSettings(ctx, service))];
  const protoSetting =
    setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? setting(settings, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  const protocol = (protoSetting?.value.trim() ?? 'http/protobuf') as keyof typeof PORT_OF;
  if (!(protocol in PORT_OF)) {
    return [
      {
        status: 'fail',
        message: `${service.name}: the OTLP protocol "${protocol}" is not one the agent speaks (grpc, http/protobuf)`,
        evidence: protoSetting ? [protoSetting.evidence] : [],
        fix: 'Set otel.exporter.otlp.protocol to http/protobuf (port 4318) or grpc (port 4317).',
      },
    ];
  }
  const problems: Finding[] = [];
  const base = setting(settings, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const traces = setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  for (const [s, kind] of [
    [base, 'base'],
    [traces, 'full'],
  ] as const) {
    if (!s) continue;
    const port = /:(\d{2,5})(?:\/|$)/.exec(s.value.replace(/^[a-z]+:\/\//i, 'x://'))?.[1];
    if ((port === '4317' || port === '4318') && Number(port) !== PORT_OF[protocol]) {
      problems.push({
        status: 'fail',
        message: `${service.name}: ${s.name} points at port ${port} but the agent speaks ${protocol} (port ${PORT_OF[protocol]})`,
        evidence: [s.evidence, ...(protoSetting ? [protoSetting.evidence] : [])],
        fix: `Use :${PORT_OF[protocol]} for ${protocol}, or change the protocol.`,
      });
    }
    if (kind === 'base' && /\/v1\/traces\/?$/.test(s.value)) {
      problems.push({
        status: 'fail',
        message: `${service.name}: ${s.name} ends in /v1/traces, but the agent appends it to the base endpoint`,
        evidence: [s.evidence],
        fix: `Drop /v1/traces from ${s.name}.`,
      });
    }
    if (kind === 'full' && protocol !== 'grpc' && !/\/v1\/traces\/?$/.test(s.value)) {
      problems.push({
        status: 'fail',
        message: `${service.name}: ${s.name} is used as-is and lacks the /v1/traces path`,
        evidence: [s.evidence],
        fix: 'Append /v1/traces, or set the base endpoint instead.',
      });
    }
  }
  if (problems.length > 0) return problems;
  const shown = [base, traces].filter((s) => s !== undefined);
  return [
    {
      status: 'pass',
      message:
        shown.length > 0
          ? `${service.name}: ${shown.map((s) => s.value).join(', ')} matches ${protocol}`
          : `${service.name}: no endpoint set, so the agent's default for ${protocol} applies (localhost:${PORT_OF[protocol]})`,
      evidence: [...shown.map((s) => s.evidence), ...(protoSetting ? [protoSetting.evidence] : [])],
    },
  ];
}
