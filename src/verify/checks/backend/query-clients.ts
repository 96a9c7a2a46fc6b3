/** The query client of the backend chosen in step 1, at the URL the compose file (or an override) gives. */
import type { BackendKind, BackendTarget, Endpoint, RoleResolution } from './backend-target.js';
import { JaegerClient } from './jaeger-client.js';
import type { TraceQueryClient } from './query-client.js';
import { TempoClient } from './tempo-client.js';
import { ZipkinClient } from './zipkin-client.js';

export function queryClientFor(
  kind: BackendKind,
  endpoint: Endpoint,
  timeoutMs?: number,
): TraceQueryClient | undefined {
  if (kind === 'jaeger') return new JaegerClient(endpoint.url, timeoutMs);
  if (kind === 'tempo') return new TempoClient(endpoint.url, timeoutMs);
  if (kind === 'zipkin') return new ZipkinClient(endpoint.url, timeoutMs);
  return undefined;
}

export function queryRole(target: BackendTarget): RoleResolution | undefined {
  if (target.kind === 'jaeger' || target.kind === 'tempo' || target.kind === 'zipkin') return target.role(target.kind);
  return undefined;
}
