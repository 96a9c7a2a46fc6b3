/**
 * Which OpenTelemetry Go modules to pin, chosen by the service's `go` directive so that `go get` does not raise it.
 * Every version here was checked against the Go module proxy (`go list -m -versions`) and built together with `go vet`
 * on the matching Go version: the go.opentelemetry.io/otel* modules move in lockstep (one release number), contrib's
 * instrumentations name the otel release they were built against.
 *
 *   otel v1.47.0 / otelhttp v0.72.0  need go 1.26
 *   otel v1.46.0 / otelhttp v0.71.0  need go 1.25
 *   otel v1.41.0 / otelhttp v0.66.0  need go 1.24
 *   otelgin v0.65.0 (the last contrib release of it; needs go 1.24, gin >= 1.11, otel >= 1.40)
 *   otelecho v0.60.0 (the last contrib release of it; echo v4, otel >= 1.35)
 */
import { compareGoVersions } from './go-mod.js';

export interface OtelRelease {
  /** The lowest `go` directive this release accepts. */
  minGo: string;
  /** go.opentelemetry.io/otel, /sdk, /trace and the OTLP trace exporters. */
  otel: string;
  /** go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp */
  otelhttp: string;
}

const RELEASES: readonly OtelRelease[] = [
  { minGo: '1.26', otel: 'v1.47.0', otelhttp: 'v0.72.0' },
  { minGo: '1.25', otel: 'v1.46.0', otelhttp: 'v0.71.0' },
  { minGo: '1.24', otel: 'v1.41.0', otelhttp: 'v0.66.0' },
];

export const OTELGIN_VERSION = 'v0.65.0';
export const OTELECHO_VERSION = 'v0.60.0';
/** The semantic-conventions package every release above ships (stable HTTP and DB names). */
export const SEMCONV_IMPORT = 'go.opentelemetry.io/otel/semconv/v1.37.0';

export const MODULES = {
  otel: 'go.opentelemetry.io/otel',
  sdk: 'go.opentelemetry.io/otel/sdk',
  trace: 'go.opentelemetry.io/otel/trace',
  otlpHttp: 'go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp',
  otlpGrpc: 'go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc',
  otelhttp: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp',
  otelgin: 'go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin',
  otelecho: 'go.opentelemetry.io/contrib/instrumentation/github.com/labstack/echo/otelecho',
} as const;

/** The newest release the service's go directive accepts; the oldest one (and `raisesGo`) when it accepts none. */
export function otelReleaseFor(goVersion: string | undefined): { release: OtelRelease; raisesGo: boolean } {
  const go = goVersion ?? '1.24';
  const fitting = RELEASES.find((r) => compareGoVersions(go, r.minGo) >= 0);
  if (fitting) return { release: fitting, raisesGo: false };
  return { release: RELEASES[RELEASES.length - 1]!, raisesGo: true };
}
