import { answer, type PlanContext } from '../context.js';

/**
 * Where the services send spans, decided by the backend step's answers. Every backend but a vendor's is reached on
 * localhost (the compose file publishes 4317/4318, or the built-in receiver listens there); a vendor's endpoint is the
 * URL the user gave, and its credentials stay in OTEL_EXPORTER_OTLP_HEADERS in the environment, never in files.
 */
export interface ExporterSettings {
  /** OTEL_EXPORTER_OTLP_PROTOCOL value. */
  protocol: 'http/protobuf' | 'grpc';
  /** Base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT): no /v1/traces suffix. */
  endpoint: string;
  /** True when credentials must come from OTEL_EXPORTER_OTLP_HEADERS. */
  needsHeaders: boolean;
}

export function exporterSettings(ctx: PlanContext): ExporterSettings {
  const protocol = answer(ctx, 'otlp-protocol') === 'grpc' ? 'grpc' : 'http/protobuf';
  if (answer(ctx, 'backend') === 'otlp-vendor') {
    const given = answer(ctx, 'otlp-endpoint');
    const endpoint =
      typeof given === 'string' && given.trim() !== ''
        ? given
            .trim()
            .replace(/\/v1\/traces\/?$/, '')
            .replace(/\/$/, '')
        : 'https://otlp.example.com:4318';
    return { protocol, endpoint, needsHeaders: true };
  }
  return {
    protocol,
    endpoint: protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318',
    needsHeaders: false,
  };
}

/**
 * True when an OpenTelemetry Collector tail-samples (keeps errors / slow traces): then the SDKs must keep every trace at
 * the head, or an error trace could be dropped before the Collector ever sees it. The built-in local receiver does not
 * tail-sample, so with the local backend the ratio stays at the head.
 */
export function tailSamplingInCollector(ctx: PlanContext): boolean {
  const tail = answer(ctx, 'tail-sampling');
  return (tail === 'errors' || tail === 'errors-and-slow') && answer(ctx, 'backend') !== 'local';
}

/**
 * The head-sampling ratio for the SDKs' parent-based sampler (0..1): the sampling step's percentage, or 1 (keep all)
 * when the Collector tail-samples and applies the percentage itself.
 */
export function samplingRatio(ctx: PlanContext): number {
  return tailSamplingInCollector(ctx) ? 1 : configuredRatio(ctx);
}

/** The share of ordinary traces the user asked to keep (0..1), wherever it is applied (SDK head or Collector tail). */
export function configuredRatio(ctx: PlanContext): number {
  const raw = Number(answer(ctx, 'sampling-percent'));
  if (!Number.isFinite(raw)) return 0.1;
  return Math.min(100, Math.max(0, raw)) / 100;
}
