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
    const endpoint = typeof given === 'string' && given.trim() !== '' ? given.trim().replace(/\/v1\/traces\/?$/, '').replace(/\/$/, '') : 'https://otlp.example.com:4318';
    return { protocol, endpoint, needsHeaders: true };
  }
  return { protocol, endpoint: protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318', needsHeaders: false };
}

/** The head-sampling ratio from the sampling step's percentage (0..1). */
export function samplingRatio(ctx: PlanContext): number {
  const raw = Number(answer(ctx, 'sampling-percent'));
  if (!Number.isFinite(raw)) return 0.1;
  return Math.min(100, Math.max(0, raw)) / 100;
}
