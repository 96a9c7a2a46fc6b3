/**
 * One real Node service per test, written by the test with the project's devDependency OpenTelemetry SDK (OTLP/HTTP
 * exporter, BatchSpanProcessor, SERVER spans made per request, traceparent extracted through the global propagator).
 * Each option puts one real fault in it; `propagatorsSetting` runs the same handler on the real NodeSDK instead.
 */
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { makeSampleRepo } from '../helpers/sample-repo.js';
import { nodeSdkModules } from './node-sdk-install.js';
import { stopAndListen, tracedHandler } from './node-service-source.js';

export interface DoctorService {
  port: number;
  /** The exporter's url option (e.g. an HTTP exporter pointed at the gRPC port); default: from OTEL_* variables. */
  exporterUrl?: string;
  /** A default for OTEL_EXPORTER_OTLP_ENDPOINT written in the code (`??=`), which the environment overrides. */
  endpointDefault?: string;
  /** Registers the W3C propagator globally (default true). */
  propagator?: boolean;
  /** service.name on the resource; undefined leaves it out (unknown_service:node). */
  serviceName?: string;
  /**
   * Set: the service runs on the real NodeSDK (installed by node-sdk-install.ts, which builds its propagators from
   * OTEL_PROPAGATORS) instead of BasicTracerProvider, with `process.env.OTEL_PROPAGATORS ??= '<this>'` written in the code.
   */
  propagatorsSetting?: string;
  /** Application code written into server.js as it is (e.g. data with `url:` fields that are no exporter setting). */
  appCode?: string;
}

/** The same handler on the real NodeSDK: the global propagator is the one NodeSDK builds from OTEL_PROPAGATORS. */
function nodeSdkSource(s: DoctorService): string {
  return `'use strict';
const http = require('node:http');
process.env.OTEL_PROPAGATORS ??= '${s.propagatorsSetting}';
const api = require('@opentelemetry/api');
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');

const PORT = Number(process.env.PORT || ${s.port});
const sdk = new NodeSDK({
  ${
    s.serviceName
      ? `serviceName: ${JSON.stringify(s.serviceName)},
  `
      : ''
  }traceExporter: new OTLPTraceExporter(),
});
sdk.start();
const tracer = api.trace.getTracer('doctor-fixture');

${tracedHandler()}
${stopAndListen('sdk.shutdown()')}`;
}

function source(s: DoctorService): string {
  const resource = s.serviceName ? `{ 'service.name': ${JSON.stringify(s.serviceName)} }` : '{}';
  return `'use strict';
const http = require('node:http');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const PORT = Number(process.env.PORT || ${s.port});
${s.endpointDefault ? `process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= '${s.endpointDefault}';` : ''}
${s.propagator === false ? '' : 'api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());'}
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes(${resource}),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(${s.exporterUrl ? `{ url: '${s.exporterUrl}' }` : ''}))],
});
const tracer = provider.getTracer('doctor-fixture');
${s.appCode ?? ''}
${tracedHandler()}
${stopAndListen()}`;
}

export async function makeDoctorRepo(s: DoctorService): Promise<string> {
  const root = await makeSampleRepo(
    {
      'svc/package.json': JSON.stringify(
        { name: 'svc', version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } },
        null,
        2,
      ),
      'svc/server.js': s.propagatorsSetting === undefined ? source(s) : nodeSdkSource(s),
    },
    { prefix: 'tg-doctor-' },
  );
  const modules = s.propagatorsSetting === undefined ? path.join(PROJECT_ROOT, 'node_modules') : await nodeSdkModules();
  await symlink(modules, path.join(root, 'svc', 'node_modules'), 'dir');
  return root;
}
