/**
 * Pinned OpenTelemetry Python packages. The contrib packages (distro, instrumentations) are versioned 0.NNbM and pinned
 * to one release that every package below is published at; the SDK / exporter packages 1.NN.M are the matching release
 * (checked together with `pip install --dry-run`: 0.66b1 needs api/sdk 1.45.x). Bump them together, never one alone.
 */
export const OTEL_CONTRIB_VERSION = '0.66b1';
export const OTEL_SDK_VERSION = '1.45.1';

export interface PythonPackage {
  name: string;
  version: string;
}

const contrib = (name: string): PythonPackage => ({ name, version: OTEL_CONTRIB_VERSION });
const core = (name: string): PythonPackage => ({ name, version: OTEL_SDK_VERSION });

export const DISTRO = contrib('opentelemetry-distro');
export const EXPORTER_HTTP = core('opentelemetry-exporter-otlp-proto-http');
export const EXPORTER_GRPC = core('opentelemetry-exporter-otlp-proto-grpc');

/** Instrumentation package per scan finding name (frameworks and HTTP clients). */
export const INSTRUMENTATIONS: Record<string, PythonPackage> = {
  flask: contrib('opentelemetry-instrumentation-flask'),
  fastapi: contrib('opentelemetry-instrumentation-fastapi'),
  django: contrib('opentelemetry-instrumentation-django'),
  requests: contrib('opentelemetry-instrumentation-requests'),
  httpx: contrib('opentelemetry-instrumentation-httpx'),
  aiohttp: contrib('opentelemetry-instrumentation-aiohttp-client'),
};

export const LOGGING_INSTRUMENTATION = contrib('opentelemetry-instrumentation-logging');
export const THREADING_INSTRUMENTATION = contrib('opentelemetry-instrumentation-threading');

/** PyPI names compare lower-case with runs of `-_.` as one `-` (PEP 503). */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
