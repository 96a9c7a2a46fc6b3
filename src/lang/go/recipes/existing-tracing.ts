/** Tracing a Go service already has: OpenTelemetry (nothing to add) or another tracer (a migration note instead). */
import type { Service } from '../../../types/scan.js';
import type { GoSource } from './go-sources.js';

const MIGRATION: Record<string, string> = {
  opentracing:
    'Keep the existing spans while moving: the bridge go.opentelemetry.io/otel/bridge/opentracing turns OpenTracing calls into OpenTelemetry spans (otel.SetTracerProvider first, then opentracing.SetGlobalTracer(bridgeTracer)); replace the calls module by module afterwards.',
  'jaeger-client':
    'jaeger-client-go is archived and the Jaeger agent (UDP 6831) is gone in Jaeger v2: remove the jaeger-client tracer, set up the OpenTelemetry SDK with an OTLP exporter (Jaeger v2 accepts OTLP on 4317/4318), and port opentracing.StartSpanFromContext calls to tracer.Start (the OpenTracing bridge helps in between).',
  'dd-trace':
    'dd-trace-go has its own propagation and tracer: either keep Datadog and point it at OTLP through the Datadog Agent, or replace it (tracer.Start → the OpenTelemetry SDK set-up; ddtrace contrib wrappers → otelhttp/otelgin/otelsql). Running both starts two unrelated traces per request.',
  zipkin:
    'zipkin-go can be replaced by the OpenTelemetry SDK with an OTLP exporter (a Collector with the zipkin exporter keeps a Zipkin backend); its B3 headers are read by go.opentelemetry.io/contrib/propagators/b3 during the move.',
  newrelic:
    'The New Relic agent accepts OTLP directly: replace the agent with the OpenTelemetry SDK and an OTLP exporter pointed at New Relic, rather than running both.',
  'elastic-apm':
    'Elastic APM accepts OTLP: replace the APM agent with the OpenTelemetry SDK, or use go.elastic.co/apm/module/apmotel as a bridge while moving.',
  sentry:
    'Sentry can receive OpenTelemetry spans (sentry-go/otel): keep Sentry for errors and let the OpenTelemetry SDK own tracing, rather than two tracers.',
};

/** Whether OpenTelemetry's tracer provider is already set up somewhere in the service. */
export function hasOtelSetup(sources: readonly GoSource[]): boolean {
  return sources.some((s) => /\botel\.SetTracerProvider\(/.test(s.text));
}

/** Tracers other than OpenTelemetry the scan found, with their migration advice. */
export function otherTracers(service: Service): Array<{ name: string; file: string; line: number; advice: string }> {
  return service.tracing
    .filter((t) => t.name !== 'opentelemetry')
    .map((t) => ({
      name: t.name,
      file: t.evidence.file,
      line: t.evidence.line,
      advice: MIGRATION[t.name] ?? 'Replace it with the OpenTelemetry SDK rather than running two tracers.',
    }));
}
