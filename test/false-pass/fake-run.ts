/**
 * A runtime run made of spans written by the test (no services, no receiver): lets a false-pass test hand a runtime
 * check exactly the spans of a situation that only looks done, and see that the check does not pass.
 */
import type { CheckContext } from '../../src/verify/check.js';
import type { ReceivedSpan, SpanKindName } from '../../src/verify/receiver/span.js';
import { SpanStore } from '../../src/verify/receiver/span-store.js';
import type { Probe, RuntimeRun, StartedService } from '../../src/verify/runtime/runtime-run.js';

export const T0 = 1_764_756_000_000;
export const TRACE = '0af7651916cd43dd8448eb211c80319c';
/** The (never exported) parent span id of the probe's traceparent. */
export const PROBE_PARENT = 'b7ad6b7169203331';

let nextId = 1;
export function spanId(): string {
  return (nextId++).toString(16).padStart(16, '0');
}

export function span(
  fields: Partial<ReceivedSpan> & { name: string; kind: SpanKindName; scope?: ReceivedSpan['scope'] },
): ReceivedSpan {
  const start = BigInt(T0 + 5) * 1_000_000n;
  return {
    traceId: TRACE,
    spanId: spanId(),
    startTimeUnixNano: start,
    endTimeUnixNano: start + 2_000_000n,
    durationMs: 2,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: { code: 'unset' },
    resource: { 'service.name': 'api' },
    serviceName: 'api',
    scope: { name: '@opentelemetry/instrumentation-http' },
    receivedVia: 'http/protobuf',
    receivedAt: T0 + 100,
    ...fields,
  };
}

export function probe(path = '/items'): Probe {
  return {
    serviceId: 'api',
    url: `http://127.0.0.1:3000${path}`,
    path,
    source: 'route',
    expectError: false,
    traceId: TRACE,
    parentSpanId: PROBE_PARENT,
    status: 200,
    startedAt: T0,
    endedAt: T0 + 50,
  };
}

export function fakeRun(spans: ReceivedSpan[], probes: Probe[] = [probe()]): RuntimeRun {
  const store = new SpanStore();
  store.add(spans);
  const service = { id: 'api', name: 'api', root: '.', language: 'node' } as unknown as StartedService['service'];
  return {
    receiver: { httpPort: 4318, grpcPort: 4317, httpEndpoint: 'http://127.0.0.1:4318' },
    store,
    services: [{ service, status: 'running', env: {}, wiring: [], routes: [] } as unknown as StartedService],
    probes,
    probeWindow: { start: T0, end: T0 + 1000 },
    logLines: () => [],
    burst: async () => {
      throw new Error('no burst in a fake run');
    },
    shutdownProof: async () => [],
    close: async () => {},
  };
}

/** A check context whose runtime is the fake run; no repo files (so no tracer names are read from code). */
export function fakeContext(run: RuntimeRun): CheckContext {
  return {
    root: '/nonexistent-false-pass-repo',
    skill: {} as CheckContext['skill'],
    scan: {} as CheckContext['scan'],
    inputs: {},
    services: [],
    repo: { read: async () => undefined } as unknown as CheckContext['repo'],
    runtime: async () => run,
  };
}
