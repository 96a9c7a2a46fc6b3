/**
 * Test helpers for the backend checks. The servers here are FAKES of Jaeger, Tempo, Zipkin, Prometheus, Grafana and an
 * OTLP vendor: small HTTP servers on 127.0.0.1 (free ports) that answer with JSON bodies shaped like the documented
 * APIs. The OTLP side, where a test needs one, is the real built-in receiver, and the fake query APIs answer from the
 * spans it really received, so a probe's round trip is real up to the query API's JSON.
 */
import http from 'node:http';
import net from 'node:net';
import { RepoReader } from '../../../src/repo/repo-reader.js';
import type { ScanResult } from '../../../src/types/scan.js';
import type { InputValue } from '../../../src/session/schema.js';
import type { CheckContext } from '../../../src/verify/check.js';
import type { SpanStore } from '../../../src/verify/receiver/span-store.js';
import type { ReceivedSpan } from '../../../src/verify/receiver/span.js';
import { afterEach } from 'vitest';
import { testSkill } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';

export async function checkContext(root: string, inputs: Record<string, InputValue>): Promise<CheckContext> {
  const scan: ScanResult = { root, fileCount: 0, usedGit: false, services: [], problems: [], durationMs: 0 };
  return {
    root,
    skill: await testSkill(),
    scan,
    inputs,
    services: [],
    repo: new RepoReader(root),
    runtime: () => Promise.reject(new Error('backend checks must not start the services')),
  };
}

export interface Recorded {
  method: string;
  path: string;
  /** The query string, e.g. "?q=...". */
  search: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  contentType?: string;
}

export type Route = (request: Recorded, url: URL) => FakeAnswer | undefined;

export interface FakeServer {
  port: number;
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1:<free port>; each request goes to the first route that answers, else 404. */
export async function fakeServer(routes: Route[]): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        search: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      let answer: FakeAnswer | undefined;
      for (const route of routes) {
        answer = route(recorded, url);
        if (answer) break;
      }
      answer ??= { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };
      const text =
        typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'Content-Type': answer.contentType ?? (typeof answer.body === 'string' ? 'text/plain' : 'application/json'),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (taken from the OS, then released). */
export async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function get(
  path: string | RegExp,
  answer: (url: URL, match: RegExpMatchArray | null) => FakeAnswer | undefined,
): Route {
  return (request, url) => {
    if (request.method !== 'GET') return undefined;
    if (typeof path === 'string') return url.pathname === path ? answer(url, null) : undefined;
    const match = url.pathname.match(path);
    return match ? answer(url, match) : undefined;
  };
}

// --- Shapes of the real APIs, filled from the receiver's spans ----------------------------------------------------

/** OTLP JSON (hex ids, as Jaeger's v3 API writes them) for some received spans. */
function otlpJson(spans: ReceivedSpan[], idEncoding: 'hex' | 'base64'): unknown {
  const id = (hex: string) => (idEncoding === 'hex' ? hex : Buffer.from(hex, 'hex').toString('base64'));
  return [
    {
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: spans[0]?.serviceName ?? 'unknown_service' } }],
      },
      scopeSpans: [
        {
          scope: { name: spans[0]?.scope.name ?? '' },
          spans: spans.map((s) => ({
            traceId: id(s.traceId),
            spanId: id(s.spanId),
            name: s.name,
            kind: 1,
            startTimeUnixNano: s.startTimeUnixNano.toString(),
            endTimeUnixNano: s.endTimeUnixNano.toString(),
          })),
        },
      ],
    },
  ];
}

/** Jaeger v2 query API v3: GET /api/v3/services → {services}; GET /api/v3/traces/{id} → {result: {resourceSpans}}. */
export function jaegerV3Routes(store: SpanStore): Route[] {
  return [
    get('/api/v3/services', () => ({ status: 200, body: { services: store.services() } })),
    get(/^\/api\/v3\/traces\/([0-9a-f]{32})$/, (_url, m) => {
      const spans = store.spansOfTrace(m![1]!);
      if (spans.length === 0) return { status: 404, body: { error: { httpCode: 404, message: 'trace not found' } } };
      return { status: 200, body: { result: { resourceSpans: otlpJson(spans, 'hex') } } };
    }),
  ];
}

/** The Jaeger UI's internal API: GET /api/services → {data}; GET /api/traces/{id} → {data: [{traceID, spans, processes}]}. */
export function jaegerLegacyRoutes(store: SpanStore): Route[] {
  return [
    get('/api/services', () => ({
      status: 200,
      body: { data: store.services(), total: store.services().length, limit: 0, offset: 0, errors: null },
    })),
    get(/^\/api\/traces\/([0-9a-f]{32})$/, (_url, m) => {
      const spans = store.spansOfTrace(m![1]!);
      if (spans.length === 0)
        return {
          status: 404,
          body: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] },
        };
      return {
        status: 200,
        body: {
          data: [
            {
              traceID: m![1],
              spans: spans.map((s) => ({
                traceID: s.traceId,
                spanID: s.spanId,
                operationName: s.name,
                references: [],
                processID: 'p1',
              })),
              processes: { p1: { serviceName: s0(spans).serviceName, tags: [] } },
            },
          ],
          total: 0,
          limit: 0,
          offset: 0,
          errors: null,
        },
      };
    }),
  ];
}

function s0(spans: ReceivedSpan[]): ReceivedSpan {
  return spans[0]!;
}

/** Tempo: /ready → "ready"; /api/v2/traces/{id} → {trace: {resourceSpans}}; /api/search → {traces: [...]}. */
export function tempoRoutes(store: SpanStore, options: { ready?: boolean } = {}): Route[] {
  return [
    get('/ready', () =>
      options.ready === false
        ? { status: 503, body: 'Ingester not ready: waiting for 15s after being ready\n' }
        : { status: 200, body: 'ready\n' },
    ),
    get(/^\/api\/v2\/traces\/([0-9a-f]{32})$/, (_url, m) => {
      const spans = store.spansOfTrace(m![1]!);
      if (spans.length === 0) return { status: 404, body: 'trace not found\n' };
      return { status: 200, body: { trace: { resourceSpans: otlpJson(spans, 'base64') } } };
    }),
    get('/api/search', () => ({
      status: 200,
      body: {
        traces: store.traceIds().map((traceID) => ({
          traceID,
          rootServiceName: store.spansOfTrace(traceID)[0]?.serviceName,
          rootTraceName: store.spansOfTrace(traceID)[0]?.name,
          startTimeUnixNano: '1700000000000000000',
          durationMs: 1,
        })),
        metrics: { inspectedBytes: '0', completedJobs: 1, totalJobs: 1 },
      },
    })),
  ];
}

/** Zipkin: /health → {status: "UP"}; /api/v2/trace/{id} → [{traceId, id, name, localEndpoint}]. */
export function zipkinRoutes(store: SpanStore): Route[] {
  return [
    get('/health', () => ({
      status: 200,
      body: { status: 'UP', zipkin: { status: 'UP', details: { InMemoryStorage: { status: 'UP' } } } },
    })),
    get(/^\/api\/v2\/trace\/([0-9a-f]{32})$/, (_url, m) => {
      const spans = store.spansOfTrace(m![1]!);
      if (spans.length === 0) return { status: 404, body: `${m![1]} not found` };
      return {
        status: 200,
        body: spans.map((s) => ({
          traceId: s.traceId,
          id: s.spanId,
          name: s.name.toLowerCase(),
          timestamp: 1700000000000000,
          duration: 1000,
          localEndpoint: { serviceName: s.serviceName },
        })),
      };
    }),
  ];
}

/** Grafana: /api/health → {database: "ok", version}. */
export function grafanaRoutes(): Route[] {
  return [get('/api/health', () => ({ status: 200, body: { commit: 'abc123', database: 'ok', version: '12.2.0' } }))];
}

/**
 * Sample repos and fake servers for one test file, each removed / closed after every test. Call at the top level of the
 * test file (it registers an afterEach); `track` adds any other cleanup.
 */
export function backendTestResources(prefix: string) {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  const track = (cleanup: () => Promise<void>) => void cleanups.push(cleanup);
  return {
    track,
    async repo(files: Record<string, string>): Promise<string> {
      const root = await makeSampleRepo(files, { prefix });
      track(() => removeSampleRepo(root));
      return root;
    },
    async server(routes: Route[]): Promise<FakeServer> {
      const running = await fakeServer(routes);
      track(() => running.close());
      return running;
    },
  };
}
