/**
 * Python opentelemetry distributions: which one provides an `opentelemetry.*` module, what a declared one brings with it,
 * which one an OTEL_TRACES_EXPORTER entry point comes from, and the version to install one at.
 */
import { EXPORTER_GRPC, EXPORTER_HTTP, OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../recipes/versions.js';
import type { PythonFacts } from './packages.js';

/** The distribution that provides an `opentelemetry.*` module. */
export function pythonDistOf(module: string): string | undefined {
  const parts = module.split('.');
  if (parts[0] !== 'opentelemetry') return undefined;
  const [, a, b, c, d] = parts;
  if (a === 'sdk') return 'opentelemetry-sdk';
  if (a === 'distro') return 'opentelemetry-distro';
  if (a === 'semconv') return 'opentelemetry-semantic-conventions';
  if (a === 'exporter' && b === 'otlp' && c === 'proto' && (d === 'http' || d === 'grpc'))
    return `opentelemetry-exporter-otlp-proto-${d}`;
  if (a === 'exporter' && b) return `opentelemetry-exporter-${b.replace(/_/g, '-')}`;
  if (a === 'propagators' && b) return `opentelemetry-propagator-${b.replace(/_/g, '-')}`;
  if (a === 'instrumentation') {
    if (
      !b ||
      /^(?:auto_instrumentation|instrumentor|utils|dependencies|environment_variables|distro|bootstrap|bootstrap_gen|propagators|version|_semconv|sqlcommenter_utils)$/.test(
        b,
      )
    )
      return 'opentelemetry-instrumentation';
    return `opentelemetry-instrumentation-${b.replace(/_/g, '-')}`;
  }
  if (a === 'util' && b === 'http') return 'opentelemetry-util-http';
  return 'opentelemetry-api';
}

/** What a declared distribution brings with it (its Requires-Dist on other opentelemetry distributions). */
export function pythonProvides(key: string, extras: string[]): string[] {
  const out = [key];
  const sdk = ['opentelemetry-sdk', 'opentelemetry-api', 'opentelemetry-semantic-conventions'];
  if (key === 'opentelemetry-distro') {
    out.push(...sdk, 'opentelemetry-instrumentation');
    if (extras.includes('otlp'))
      out.push(
        'opentelemetry-exporter-otlp',
        'opentelemetry-exporter-otlp-proto-grpc',
        'opentelemetry-exporter-otlp-proto-http',
      );
  }
  if (key === 'opentelemetry-exporter-otlp')
    out.push('opentelemetry-exporter-otlp-proto-grpc', 'opentelemetry-exporter-otlp-proto-http', ...sdk);
  if (key.startsWith('opentelemetry-exporter-')) out.push(...sdk);
  if (key === 'opentelemetry-sdk') out.push(...sdk);
  if (key.startsWith('opentelemetry-instrumentation'))
    out.push(
      'opentelemetry-instrumentation',
      'opentelemetry-api',
      'opentelemetry-semantic-conventions',
      'opentelemetry-util-http',
    );
  if (key === 'opentelemetry-instrumentation-flask' || key === 'opentelemetry-instrumentation-django')
    out.push('opentelemetry-instrumentation-wsgi');
  if (key === 'opentelemetry-instrumentation-fastapi') out.push('opentelemetry-instrumentation-asgi');
  return out;
}

const TRACES_EXPORTER_PACKAGE: Record<string, string> = {
  otlp_proto_grpc: 'opentelemetry-exporter-otlp-proto-grpc',
  otlp_proto_http: 'opentelemetry-exporter-otlp-proto-http',
  zipkin_json: 'opentelemetry-exporter-zipkin-json',
  zipkin_proto: 'opentelemetry-exporter-zipkin-proto-http',
  console: 'opentelemetry-sdk',
};

/** The distribution behind an OTEL_TRACES_EXPORTER entry-point name (otlp: by the protocol, grpc by default). */
export function exporterPackage(component: string, protocol: string | undefined): string | undefined {
  if (component === 'otlp')
    return protocol === 'http/protobuf' || protocol === 'http/json' ? EXPORTER_HTTP.name : EXPORTER_GRPC.name;
  return TRACES_EXPORTER_PACKAGE[component];
}

/** The version to install a Python package at: the service's own SDK pin when it has one (1.N.M ↔ 0.(N+21)bM), else the recipes' pins. */
export function pythonVersionFor(facts: PythonFacts, key: string): string {
  const contrib =
    /^opentelemetry-(?:distro|instrumentation|semantic-conventions|util-http|exporter-http-transport|exporter-otlp-common)/.test(
      key,
    );
  const sdkPin =
    facts.installed?.get('opentelemetry-sdk')?.version ??
    facts.declared.get('opentelemetry-sdk')?.pin ??
    facts.installed?.get('opentelemetry-api')?.version ??
    facts.declared.get('opentelemetry-api')?.pin;
  const v = sdkPin ? /^1\.(\d+)\.(\d+)$/.exec(sdkPin) : null;
  if (v) return contrib ? `0.${Number(v[1]) + 21}b${v[2]}` : sdkPin!;
  return contrib ? OTEL_CONTRIB_VERSION : OTEL_SDK_VERSION;
}
