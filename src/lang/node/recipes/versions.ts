/**
 * The OpenTelemetry JS packages the Node recipes add, as one table per release train, pinned to exact versions the npm
 * registry serves (checked with `npm view <pkg>@<v> engines dependencies peerDependencies`). Within a train nothing is
 * installed twice, and every package declares the train's engines.node:
 *
 * - 3.x: sdk-node 0.300.0 depends on resources/core 3.0.0 and the 0.300.0 exporters; auto-instrumentations-node 0.82.0
 *   asks for sdk-node/instrumentation ^0.300.0 (for 0.x: 0.300.x only) and resources ^3.0.0. engines.node ">=22.15.0".
 * - 2.x: sdk-node 0.223.0 depends on resources/core 2.12.0 and the 0.223.0 exporters and peer-depends on
 *   @opentelemetry/api ">=1.3.0 <1.10.0" (hence api 1.9.1); auto-instrumentations-node 0.81.2 asks for sdk-node /
 *   instrumentation ^0.223.0 and resources ^2.0.0. engines.node "^18.19.0 || >=20.6.0".
 *
 * Upgrade a train's pins together. Trains are listed newest first; the recipe takes the first whose engines.node
 * accepts the Node version the service runs on (release-train.ts).
 */
export type OtelNodePackage =
  | '@opentelemetry/api'
  | '@opentelemetry/sdk-node'
  | '@opentelemetry/auto-instrumentations-node'
  | '@opentelemetry/instrumentation'
  | '@opentelemetry/exporter-trace-otlp-proto'
  | '@opentelemetry/exporter-trace-otlp-grpc'
  | '@opentelemetry/resources'
  | '@opentelemetry/semantic-conventions';

export interface OtelNodeTrain {
  /** The major of the stable packages (core, resources), which names the train. */
  id: '3.x' | '2.x';
  /** The engines.node every package of the train declares (npm range). */
  node: string;
  versions: Readonly<Record<OtelNodePackage, string>>;
}

export const OTEL_NODE_TRAINS: readonly OtelNodeTrain[] = [
  {
    id: '3.x',
    node: '>=22.15.0',
    versions: {
      '@opentelemetry/api': '1.10.0',
      '@opentelemetry/sdk-node': '0.300.0',
      '@opentelemetry/auto-instrumentations-node': '0.82.0',
      '@opentelemetry/instrumentation': '0.300.0',
      '@opentelemetry/exporter-trace-otlp-proto': '0.300.0',
      '@opentelemetry/exporter-trace-otlp-grpc': '0.300.0',
      '@opentelemetry/resources': '3.0.0',
      '@opentelemetry/semantic-conventions': '1.45.0',
    },
  },
  {
    id: '2.x',
    node: '^18.19.0 || >=20.6.0',
    versions: {
      '@opentelemetry/api': '1.9.1',
      '@opentelemetry/sdk-node': '0.223.0',
      '@opentelemetry/auto-instrumentations-node': '0.81.2',
      '@opentelemetry/instrumentation': '0.223.0',
      '@opentelemetry/exporter-trace-otlp-proto': '0.223.0',
      '@opentelemetry/exporter-trace-otlp-grpc': '0.223.0',
      '@opentelemetry/resources': '2.12.0',
      '@opentelemetry/semantic-conventions': '1.45.0',
    },
  },
];

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
