/**
 * The built-in receiver against the real OpenTelemetry SDKs of Python (pip into a venv) and Go (modules from the Go
 * module proxy), over OTLP/HTTP protobuf and OTLP/gRPC. Nothing is faked: each SDK runs in its own process, takes the
 * receiver's address from OTEL_EXPORTER_OTLP_ENDPOINT as a user's service would, and sends one trace (a SERVER span with
 * an INTERNAL child carrying attributes of every type, an event, a link and a recorded exception with error status),
 * plain and gzip-compressed. Only the downloads are cached between runs (a pip wheelhouse under ~/.cache, the Go module
 * and build caches).
 *
 * python3 and go must be installed: when one is missing, its tests fail and say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../src/verify/receiver/receiver.js';
import type { ReceivedSpan, ReceivedVia } from '../../src/verify/receiver/span.js';
import {
  makeTempDir,
  prepareGoClient,
  preparePythonClient,
  removeDir,
  runGoClient,
  runPythonClient,
  type ClientCompression,
  type ClientProtocol,
  type GoClient,
  type PythonClient,
  type SentTrace,
} from './sdk-clients-helpers.js';

/** Installs and builds are slow on a cold cache (PyPI downloads, a first Go build); nothing here is timed. */
const SETUP_TIMEOUT_MS = 600_000;
const CLIENT_TIMEOUT_MS = 120_000;
/** A safety net only: each client exits after its exporter was answered, so the spans are already in the store. */
const WAIT_FOR_MS = 30_000;

let receiver: RunningReceiver | undefined;
const tempDirs: string[] = [];
// Both set-ups start at once (pip mostly waits on the disk and network while Go compiles); each test awaits its own.
let pythonReady: Promise<PythonClient>;
let goReady: Promise<GoClient>;

beforeAll(async () => {
  receiver = await startReceiver({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, fallbackToFreePorts: false });
  const pythonDir = await makeTempDir('trace-guide-py-sdk-');
  const goDir = await makeTempDir('trace-guide-go-sdk-');
  tempDirs.push(pythonDir, goDir);
  pythonReady = preparePythonClient(pythonDir);
  goReady = prepareGoClient(goDir);
  // Settled here so that a failed set-up is reported by its own tests, not as an unhandled rejection.
  await Promise.allSettled([pythonReady, goReady]);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await receiver?.close();
  await Promise.all(tempDirs.map((dir) => removeDir(dir)));
});

function running(): RunningReceiver {
  if (receiver === undefined) throw new Error('the receiver did not start');
  return receiver;
}

function endpointFor(protocol: ClientProtocol): string {
  return protocol === 'http' ? running().httpEndpoint : running().grpcEndpoint;
}

const VIA: Record<ClientProtocol, ReceivedVia> = { http: 'http/protobuf', grpc: 'grpc' };

/** Waits (event-driven) for both spans of the trace, then returns them. */
async function receivedTrace(sent: SentTrace, label: string): Promise<{ parent: ReceivedSpan; child: ReceivedSpan }> {
  const store = running().store;
  await store.waitFor((s) => s.spansOfTrace(sent.traceId).length >= 2, WAIT_FOR_MS, `both spans of the ${label} trace`);
  const spans = store.spansOfTrace(sent.traceId);
  expect(spans).toHaveLength(2);
  const parent = spans.find((span) => span.spanId === sent.parentId);
  const child = spans.find((span) => span.spanId === sent.childId);
  if (parent === undefined || child === undefined) {
    const arrived = JSON.stringify(spans.map((span) => span.spanId));
    throw new Error(`the ${label} trace arrived without the spans the client sent: ${arrived}`);
  }
  return { parent, child };
}

interface Expected {
  service: string;
  sdkLanguage: string;
  via: ReceivedVia;
  exceptionType: string;
}

/** What a user would check in a backend: ids, parentage, kinds, typed attributes, events, the exception, links, status. */
function assertCheckoutTrace(sent: SentTrace, parent: ReceivedSpan, child: ReceivedSpan, expected: Expected): void {
  // Ids: lowercase hex of the right length, as the SDK itself prints them.
  expect(parent.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(parent.traceId).toBe(sent.traceId);
  expect(child.traceId).toBe(sent.traceId);
  expect(parent.spanId).toMatch(/^[0-9a-f]{16}$/);
  expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
  expect(child.spanId).not.toBe(parent.spanId);

  // Parentage and kinds.
  expect(parent.parentSpanId).toBeUndefined();
  expect(child.parentSpanId).toBe(parent.spanId);
  expect(parent.name).toBe('GET /checkout');
  expect(parent.kind).toBe('server');
  expect(child.name).toBe('charge card');
  expect(child.kind).toBe('internal');

  // Times: the child lies within its parent.
  expect(parent.startTimeUnixNano).toBeGreaterThan(0n);
  expect(child.startTimeUnixNano).toBeGreaterThanOrEqual(parent.startTimeUnixNano);
  expect(child.endTimeUnixNano).toBeLessThanOrEqual(parent.endTimeUnixNano);
  expect(parent.durationMs).toBeGreaterThanOrEqual(0);

  // Attributes keep their types: string, int, int64 beyond 2^53 (exact, as a decimal string), double, bool, arrays.
  expect(parent.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/checkout' });
  expect(child.attributes['payment.provider']).toBe('acme');
  expect(child.attributes['http.response.status_code']).toBe(502);
  expect(child.attributes['order.id']).toBe('9007199254740993');
  expect(child.attributes['order.total']).toBe(99.5);
  expect(child.attributes['payment.retried']).toBe(true);
  expect(child.attributes['order.items']).toEqual(['book', 'pen']);
  expect(child.attributes['order.quantities']).toEqual([1, 3]);
  expect(child.droppedAttributesCount).toBe(0);

  // The plain event, then the exception event the SDK made of the recorded error.
  expect(child.events.map((event) => event.name)).toEqual(['cache.miss', 'exception']);
  const [cacheMiss, exception] = child.events;
  expect(cacheMiss?.attributes).toEqual({ 'cache.key': 'user:42', 'cache.attempt': 2 });
  expect(cacheMiss?.timeUnixNano).toBeGreaterThanOrEqual(child.startTimeUnixNano);
  expect(exception?.attributes['exception.type']).toBe(expected.exceptionType);
  expect(exception?.attributes['exception.message']).toBe('card declined');
  expect(typeof exception?.attributes['exception.stacktrace']).toBe('string');
  expect(String(exception?.attributes['exception.stacktrace']).length).toBeGreaterThan(0);

  // The link to another trace, with its attributes. (Neither SDK puts a linked context's tracestate on the wire, as
  // their raw request bodies show, so there is none to check here.)
  expect(parent.links).toEqual([]);
  expect(child.links).toEqual([
    { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', attributes: { 'link.reason': 'retry' } },
  ]);

  // Status: error with its message on the child, unset on the parent.
  expect(child.status).toEqual({ code: 'error', message: 'card declined' });
  expect(parent.status.code).toBe('unset');

  // Resource, scope and transport.
  for (const span of [parent, child]) {
    expect(span.serviceName).toBe(expected.service);
    expect(span.resource['service.name']).toBe(expected.service);
    expect(span.resource['telemetry.sdk.language']).toBe(expected.sdkLanguage);
    expect(span.resource['telemetry.sdk.name']).toBe('opentelemetry');
    expect(span.scope).toEqual({ name: 'sdk-clients-test', version: '1.2.3' });
    expect(span.receivedVia).toBe(expected.via);
  }
}

/** Nothing the SDKs sent was refused, rejected or taken for the wrong protocol. */
function assertNothingRefused(): void {
  const store = running().store;
  expect(store.describe()).not.toMatch(/rejected|refused|wrong protocol/);
  expect(store.rejectedCount).toBe(0);
  expect(store.refusedCount).toBe(0);
  expect(store.wrongProtocolCount).toBe(0);
}

/** Each protocol plain and gzip-compressed (OTEL_EXPORTER_OTLP_COMPRESSION, as users often set it). */
const CASES: readonly { protocol: ClientProtocol; compression: ClientCompression; label: string }[] = [
  { protocol: 'http', compression: 'none', label: 'OTLP/HTTP protobuf' },
  { protocol: 'grpc', compression: 'none', label: 'OTLP/gRPC' },
  { protocol: 'http', compression: 'gzip', label: 'OTLP/HTTP protobuf with gzip' },
  { protocol: 'grpc', compression: 'gzip', label: 'OTLP/gRPC with gzip' },
];

describe('the OpenTelemetry Python SDK as a client of the receiver', () => {
  it.each(CASES.map((c) => [c.label, c] as const))(
    'delivers its trace over %s, decoded into the span model',
    async (_label, { protocol, compression }) => {
      const client = await pythonReady;
      const sent = await runPythonClient(client, { protocol, compression, endpoint: endpointFor(protocol) });
      const { parent, child } = await receivedTrace(sent, `Python ${protocol} ${compression}`);
      assertCheckoutTrace(sent, parent, child, {
        service: 'py-svc',
        sdkLanguage: 'python',
        via: VIA[protocol],
        // The Python SDK qualifies the type with its module (the script runs as __main__).
        exceptionType: '__main__.PaymentError',
      });
      expect(running().store.services()).toContain('py-svc');
      assertNothingRefused();
    },
    CLIENT_TIMEOUT_MS,
  );
});

describe('the OpenTelemetry Go SDK as a client of the receiver', () => {
  it.each(CASES.map((c) => [c.label, c] as const))(
    'delivers its trace over %s, decoded into the span model',
    async (_label, { protocol, compression }) => {
      const client = await goReady;
      const sent = await runGoClient(client, { protocol, compression, endpoint: endpointFor(protocol) });
      const { parent, child } = await receivedTrace(sent, `Go ${protocol} ${compression}`);
      assertCheckoutTrace(sent, parent, child, {
        service: 'go-svc',
        sdkLanguage: 'go',
        via: VIA[protocol],
        exceptionType: '*main.PaymentError',
      });
      expect(running().store.services()).toContain('go-svc');
      assertNothingRefused();
    },
    CLIENT_TIMEOUT_MS,
  );
});
