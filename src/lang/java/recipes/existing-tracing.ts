/**
 * What a Java service already traces with, so step 2 never adds a second tracer: the OpenTelemetry Java agent (fetched
 * by the build or attached with -javaagent:), the OpenTelemetry Spring Boot starter, Micrometer Tracing bridges, and
 * other vendors' agents and tracers found by the scan.
 */
import type { Evidence, Service } from '../../../types/scan.js';
import { lineNumberAt, lineTextAt } from '../../../repo/text.js';

export interface ExistingTracer {
  kind: 'otel-agent' | 'otel-starter' | 'micrometer-bridge' | 'other';
  name: string;
  evidence: Evidence;
}

const BUILD_MARKERS: readonly { kind: ExistingTracer['kind']; name: string; pattern: RegExp }[] = [
  {
    kind: 'otel-agent',
    name: 'the OpenTelemetry Java agent (attached with -javaagent:)',
    pattern: /-javaagent:\S*opentelemetry-javaagent/,
  },
  {
    kind: 'otel-agent',
    name: 'the OpenTelemetry Java agent (fetched by the build)',
    pattern:
      /<artifactId>\s*opentelemetry-javaagent\s*<\/artifactId>|io\.opentelemetry\.javaagent:opentelemetry-javaagent/,
  },
  { kind: 'otel-starter', name: 'the OpenTelemetry Spring Boot starter', pattern: /opentelemetry-spring-boot-starter/ },
  {
    kind: 'micrometer-bridge',
    name: 'Micrometer Tracing with its OpenTelemetry bridge',
    pattern: /micrometer-tracing-bridge-otel/,
  },
  {
    kind: 'micrometer-bridge',
    name: 'Micrometer Tracing with its Brave bridge',
    pattern: /micrometer-tracing-bridge-brave|spring-boot-micrometer-tracing-brave/,
  },
];

/** The first match of each marker in the given files (pom.xml, build.gradle, Dockerfile, start commands). */
export function tracersInFiles(files: readonly { path: string; text: string }[]): ExistingTracer[] {
  const found: ExistingTracer[] = [];
  for (const marker of BUILD_MARKERS) {
    if (found.some((f) => f.name === marker.name)) continue;
    for (const file of files) {
      const m = marker.pattern.exec(file.text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' ')));
      if (!m) continue;
      found.push({
        kind: marker.kind,
        name: marker.name,
        evidence: { file: file.path, line: lineNumberAt(file.text, m.index), text: lineTextAt(file.text, m.index) },
      });
      break;
    }
  }
  // An agent attached is the same agent as one fetched: say it once, attached first.
  const attached = found.find((f) => f.kind === 'otel-agent');
  return found.filter((f) => f.kind !== 'otel-agent' || f === attached);
}

/** Tracers of other vendors (Datadog, New Relic, Elastic, Zipkin/Brave, Jaeger, OpenTracing, Sentry) from the scan. */
export function otherVendorTracers(service: Service): ExistingTracer[] {
  return service.tracing
    .filter((t) => t.name !== 'opentelemetry')
    .map((t) => ({ kind: 'other', name: t.name, evidence: t.evidence }));
}
