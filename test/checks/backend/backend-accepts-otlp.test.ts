/**
 * backend-accepts-otlp against FAKE backends: the OTLP port is trace-guide's real built-in receiver (so the probe is a
 * real protobuf export), and the query APIs are fake Jaeger / Tempo / Zipkin servers (helpers.ts) that answer, in the
 * documented JSON shapes, from the spans the receiver got. Ports come from a compose file written by the test.
 */
import { describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../../src/verify/receiver/receiver.js';
import { SpanStore } from '../../../src/verify/receiver/span-store.js';
import { createBackendAcceptsOtlpCheck } from '../../../src/verify/checks/backend/backend-accepts-otlp.js';
import {
  backendTestResources,
  checkContext,
  jaegerLegacyRoutes,
  jaegerV3Routes,
  tempoRoutes,
  unusedPort,
  zipkinRoutes,
} from './helpers.js';

const { repo, server, track } = backendTestResources('trace-guide-backend-check-');

async function receiver(): Promise<RunningReceiver> {
  const running = await startReceiver({ httpPort: 0, grpcPort: 0 });
  track(() => running.close());
  return running;
}

function jaegerCompose(ui: number, grpc: number, httpPort: number): string {
  return [
    'services:',
    '  jaeger:',
    '    image: jaegertracing/jaeger:2.15.0',
    '    ports:',
    `      - "${ui}:16686"`,
    `      - "${grpc}:4317"`,
    `      - "${httpPort}:4318"`,
    '',
  ].join('\n');
}

const fast = { env: {}, deadlineMs: 400, pollIntervalMs: 50, requestTimeoutMs: 2000 };

describe('backend-accepts-otlp with Jaeger', () => {
  it('passes when the probe span is accepted and Jaeger v3 returns it', async () => {
    const otlp = await receiver();
    const jaeger = await server(jaegerV3Routes(otlp.store));
    const root = await repo({ 'compose.yaml': jaegerCompose(jaeger.port, otlp.grpcPort, otlp.httpPort) });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status, result.summary).toBe('pass');
    const probe = otlp.store.spans().find((s) => s.serviceName === 'trace-guide-probe');
    expect(probe?.receivedVia).toBe('http/protobuf');
    expect(result.summary).toContain(probe!.traceId);
    expect(result.evidence).toContainEqual(expect.objectContaining({ file: 'compose.yaml', line: 7 }));
    expect(jaeger.requests.map((r) => r.path)).toContain(`/api/v3/traces/${probe!.traceId}`);
  });

  it('falls back to the UI API (/api/traces) when the Jaeger has no v3 API', async () => {
    const otlp = await receiver();
    const jaeger = await server(jaegerLegacyRoutes(otlp.store));
    const root = await repo({ 'compose.yaml': jaegerCompose(jaeger.port, otlp.grpcPort, otlp.httpPort) });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status, result.summary).toBe('pass');
    const paths = jaeger.requests.map((r) => r.path);
    expect(paths).toContain('/api/v3/services');
    expect(paths.some((p) => /^\/api\/traces\/[0-9a-f]{32}$/.test(p))).toBe(true);
  });

  it('is skipped with the command that starts Jaeger when nothing listens', async () => {
    const [ui, grpc, httpPort] = [await unusedPort(), await unusedPort(), await unusedPort()];
    const root = await repo({ 'compose.yaml': jaegerCompose(ui, grpc, httpPort) });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('skipped');
    expect(result.summary).toContain('not running');
    expect(result.fix).toContain('`docker compose up -d jaeger`');
  });

  it('fails with what arrived when the OTLP port answers 404 on /v1/traces', async () => {
    const notOtlp = await server([]);
    const jaeger = await server(jaegerV3Routes(new SpanStore()));
    const grpc = await unusedPort();
    const root = await repo({ 'compose.yaml': jaegerCompose(jaeger.port, grpc, notOtlp.port) });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(`POST http://127.0.0.1:${notOtlp.port}/v1/traces answered HTTP 404`);
    expect(result.summary).toContain('404 page not found');
    expect(notOtlp.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/traces',
      headers: expect.objectContaining({ 'content-type': 'application/x-protobuf' }),
    });
  });

  it('fails when the backend accepts the probe but its query API never returns it', async () => {
    const otlp = await receiver();
    const emptyJaeger = await server(jaegerV3Routes(new SpanStore())); // a query API of another, empty Jaeger
    const root = await repo({ 'compose.yaml': jaegerCompose(emptyJaeger.port, otlp.grpcPort, otlp.httpPort) });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(
      /accepted the probe span \(HTTP 200\) but its query API never returned trace [0-9a-f]{32}/,
    );
    expect(otlp.store.spanCount).toBe(1);
  });

  it('fails when the compose file publishes host port 4318 to the gRPC container port', async () => {
    const root = await repo({
      'compose.yaml': [
        'services:',
        '  jaeger:',
        '    image: jaegertracing/jaeger:2.15.0',
        '    ports:',
        '      - "16686:16686"',
        '      - "4318:4317"',
        '',
      ].join('\n'),
    });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('publishes host port 4318 to container port 4317 (OTLP/gRPC)');
    expect(result.evidence).toContainEqual({ file: 'compose.yaml', line: 6, text: '4318:4317' });
    expect(result.fix).toContain('"4318:4318"');
  });

  it('fails when the compose file has no Jaeger at all', async () => {
    const root = await repo({ 'compose.yaml': 'services:\n  db:\n    image: postgres:17\n' });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('compose.yaml has no Jaeger v2 service');
  });

  it('uses TRACE_GUIDE_OTLP_URL and TRACE_GUIDE_JAEGER_URL instead of the compose file', async () => {
    const otlp = await receiver();
    const jaeger = await server(jaegerV3Routes(otlp.store));
    const root = await repo({});
    const env = { TRACE_GUIDE_OTLP_URL: otlp.httpEndpoint, TRACE_GUIDE_JAEGER_URL: `${jaeger.url}/` };
    const result = await createBackendAcceptsOtlpCheck({ ...fast, env }).run(
      await checkContext(root, { backend: 'jaeger' }),
    );
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence).toContainEqual({ note: expect.stringContaining('from TRACE_GUIDE_OTLP_URL') });
  });
});

describe('backend-accepts-otlp with Tempo and Zipkin', () => {
  it('finds the probe through Tempo /api/v2/traces', async () => {
    const otlp = await receiver();
    const tempo = await server(tempoRoutes(otlp.store));
    const root = await repo({
      'compose.yaml': [
        'services:',
        '  tempo:',
        '    image: grafana/tempo:2.10.8',
        '    ports:',
        `      - "${tempo.port}:3200"`,
        `      - "${otlp.grpcPort}:4317"`,
        `      - "${otlp.httpPort}:4318"`,
        '',
      ].join('\n'),
    });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'tempo' }));
    expect(result.status, result.summary).toBe('pass');
    expect(tempo.requests.some((r) => r.path.startsWith('/api/v2/traces/'))).toBe(true);
  });

  it('sends to the Collector in front of Zipkin and finds the probe in Zipkin', async () => {
    const otlp = await receiver();
    const zipkin = await server(zipkinRoutes(otlp.store));
    const root = await repo({
      'compose.yaml': [
        'services:',
        '  zipkin:',
        '    image: openzipkin/zipkin:3.4.2',
        '    ports:',
        `      - "${zipkin.port}:9411"`,
        '  otel-collector:',
        '    image: otel/opentelemetry-collector-contrib:0.152.1',
        '    ports:',
        `      - "${otlp.grpcPort}:4317"`,
        `      - "${otlp.httpPort}:4318"`,
        '',
      ].join('\n'),
    });
    const result = await createBackendAcceptsOtlpCheck(fast).run(
      await checkContext(root, { backend: 'zipkin', 'tail-sampling': 'errors' }),
    );
    expect(result.status, result.summary).toBe('pass');
    // With tail sampling in the Collector, the probe is marked as an error so the status_code policy keeps it.
    expect(otlp.store.spans()[0]?.status.code).toBe('error');
  });
});

describe('backend-accepts-otlp with the built-in receiver (local)', () => {
  it('passes when the services use the default endpoint: a receiver on a free port accepts the probe', async () => {
    const root = await repo({ 'package.json': '{"name":"svc","scripts":{"start":"node server.js"}}' });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'local' }));
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence).toContainEqual({ note: expect.stringMatching(/grpc-status 0/) });
  });

  it('fails when a service exports somewhere else', async () => {
    const root = await repo({ '.env': 'PORT=3000\nOTEL_EXPORTER_OTLP_ENDPOINT=http://collector.internal:4318\n' });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'local' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('http://collector.internal:4318 (.env:2)');
  });
});

describe('backend-accepts-otlp with a vendor endpoint (a FAKE vendor that wants an api-key header)', () => {
  const secret = 'sk-test-0123456789abcdef';
  const vendorRoutes = [
    (request: { method: string; path: string; headers: Record<string, unknown> }) =>
      request.method === 'POST' && request.path === '/v1/traces'
        ? request.headers['api-key'] === secret
          ? { status: 200, body: {} }
          : { status: 401, body: { code: 16, message: 'invalid api key' } }
        : undefined,
  ];

  it('is skipped, saying how to set them, when the endpoint and headers are not in the environment', async () => {
    const root = await repo({});
    const result = await createBackendAcceptsOtlpCheck({ ...fast, env: {} }).run(
      await checkContext(root, { backend: 'otlp-vendor', 'otlp-endpoint': 'https://otlp.example.com' }),
    );
    expect(result.status).toBe('skipped');
    expect(result.fix).toContain('export OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.example.com');
    expect(result.fix).toContain('OTEL_EXPORTER_OTLP_HEADERS=');
  });

  it('passes when the vendor accepts the key, without ever printing it', async () => {
    const vendor = await server(vendorRoutes);
    const root = await repo({});
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: vendor.url, OTEL_EXPORTER_OTLP_HEADERS: `api-key=${secret}` };
    const result = await createBackendAcceptsOtlpCheck({ ...fast, env }).run(
      await checkContext(root, { backend: 'otlp-vendor' }),
    );
    expect(result.status, result.summary).toBe('pass');
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).toContain('api-key');
  });

  it('fails when the vendor refuses the key, without printing it', async () => {
    const vendor = await server(vendorRoutes);
    const root = await repo({});
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: vendor.url, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=wrong-key-value' };
    const result = await createBackendAcceptsOtlpCheck({ ...fast, env }).run(
      await checkContext(root, { backend: 'otlp-vendor' }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('HTTP 401');
    expect(JSON.stringify(result)).not.toContain('wrong-key-value');
  });
});
