/**
 * The OpenTelemetry JS packages the Node recipes add, pinned to exact versions the npm registry serves (checked with
 * `npm view`). They are one release train: sdk-node 0.300.0 depends on resources/core 3.0.0 and the 0.300.0 exporters,
 * and auto-instrumentations-node 0.82.0 asks for sdk-node/instrumentation ^0.300.0 (which for 0.x means 0.300.x only) and
 * resources ^3.0.0, so nothing is installed twice. Upgrade them together.
 */
export const OTEL_NODE_VERSIONS = {
  '@opentelemetry/api': '1.10.0',
  '@opentelemetry/sdk-node': '0.300.0',
  '@opentelemetry/auto-instrumentations-node': '0.82.0',
  '@opentelemetry/instrumentation': '0.300.0',
  '@opentelemetry/exporter-trace-otlp-proto': '0.300.0',
  '@opentelemetry/exporter-trace-otlp-grpc': '0.300.0',
  '@opentelemetry/resources': '3.0.0',
  '@opentelemetry/semantic-conventions': '1.45.0',
} as const;

export type OtelNodePackage = keyof typeof OTEL_NODE_VERSIONS;

/** The packages a service needs for the SDK set-up, with the trace exporter that speaks the chosen protocol. */
export function setupPackages(protocol: 'http/protobuf' | 'grpc'): OtelNodePackage[] {
  return [
    '@opentelemetry/api',
    '@opentelemetry/sdk-node',
    '@opentelemetry/auto-instrumentations-node',
    '@opentelemetry/instrumentation',
    protocol === 'grpc' ? '@opentelemetry/exporter-trace-otlp-grpc' : '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/resources',
    '@opentelemetry/semantic-conventions',
  ];
}
