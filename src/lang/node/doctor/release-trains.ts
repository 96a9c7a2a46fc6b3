/**
 * Release trains of the Node @opentelemetry packages (api, semantic-conventions, the opentelemetry-js 0.x and stable
 * trains, contrib), the version a service runs each at, and the @opentelemetry/api version its SDK packages accept.
 */
import type { OtelNodePackage } from '../recipes/versions.js';
import { chooseNodeTrain } from '../recipes/release-train.js';
import type { Service } from '../../../types/scan.js';
import { planContextOf } from '../../../doctor/packages/plan-context.js';
import type { CheckContext } from '../../../verify/check.js';
import { resolveNodePackage, type NodeFacts } from './packages.js';
import {
  baseOfRange,
  compareVersions,
  parseVersion,
  satisfies,
  type Version,
} from '../../../doctor/packages/semver-range.js';

/** Packages of the opentelemetry-js repo: released together, the 0.x ones as one train, the others as one major. */
const CORE_REPO =
  /^@opentelemetry\/(?:core|resources|sdk-trace(?:-base|-node|-web)?|sdk-metrics|sdk-logs|sdk-node|sdk-events|context-(?:async-hooks|zone|zone-peer-dep)|propagator-(?:b3|jaeger)|exporter-zipkin|exporter-prometheus|exporter-(?:trace|metrics|logs)-otlp-(?:http|grpc|proto)|otlp-(?:exporter-base|grpc-exporter-base|transformer|proto-exporter-base)|instrumentation|instrumentation-(?:http|grpc|fetch|xml-http-request)|api-logs|api-events|configuration|shim-opentracing|web-common)$/;

/** Stable packages that have no 3.x release (replaced by @opentelemetry/sdk-trace; checked with `npm view`). */
export const ENDED_AT_2 = new Set(['@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-trace-node']);

export type NodeTrain = 'api' | 'semconv' | 'experimental' | 'stable' | 'contrib';

export function trainOf(name: string, version: Version | undefined): NodeTrain {
  if (name === '@opentelemetry/api') return 'api';
  if (name === '@opentelemetry/semantic-conventions') return 'semconv';
  if (!CORE_REPO.test(name)) return 'contrib';
  if (version) return version.major === 0 ? 'experimental' : 'stable';
  return /sdk-node|otlp|^@opentelemetry\/instrumentation(?:-|$)|api-logs|api-events|sdk-events|configuration|exporter-prometheus/.test(
    name,
  )
    ? 'experimental'
    : 'stable';
}

/** The version the service runs a package at: installed beats declared. */
export function effectiveVersion(
  facts: NodeFacts,
  name: string,
): { version: Version; from: 'installed' | 'declared' } | undefined {
  const inst = facts.installed.get(name);
  const v = inst ? parseVersion(inst.version) : undefined;
  if (v) return { version: v, from: 'installed' };
  const decl = facts.declared.get(name);
  const d = decl ? baseOfRange(decl.spec) : undefined;
  return d ? { version: d, from: 'declared' } : undefined;
}

/** The newest version of a train among the packages the service has. */
export function serviceTrain(facts: NodeFacts, train: 'experimental' | 'stable'): Version | undefined {
  let best: Version | undefined;
  for (const name of new Set([...facts.installed.keys(), ...facts.declared.keys()])) {
    const v = effectiveVersion(facts, name)?.version;
    if (v && trainOf(name, v) === train && (!best || compareVersions(v, best) > 0)) best = v;
  }
  return best;
}

export type NodePins = Readonly<Record<OtelNodePackage, string>>;

/** The recipes' pins of the release train for the Node the service runs on (recipes/release-train.ts), so a fix never proposes a train that declares the service's Node unsupported. */
export async function pinsForService(ctx: CheckContext, service: Service): Promise<NodePins> {
  return (await chooseNodeTrain(planContextOf(ctx), service)).train.versions;
}

/** An @opentelemetry/api version every installed SDK package's peer range accepts: the pin of the service's train, or the copy an SDK package itself resolves. */
export function apiTarget(ctx: Pick<CheckContext, 'root'>, facts: NodeFacts, pins: NodePins): string | undefined {
  const peers = [...facts.installed.values()].filter((p) => p.peerDependencies['@opentelemetry/api']);
  const accepted = (v: string) => peers.every((p) => satisfies(v, p.peerDependencies['@opentelemetry/api']!) !== false);
  if (accepted(pins['@opentelemetry/api'])) return pins['@opentelemetry/api'];
  for (const p of peers) {
    const own = resolveNodePackage(ctx.root, p.real, '@opentelemetry/api');
    if (own && accepted(own.version)) return own.version;
  }
  return undefined;
}
