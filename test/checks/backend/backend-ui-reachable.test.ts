/**
 * backend-ui-reachable against FAKE query APIs (helpers.ts): Jaeger v3 and a Jaeger with only the UI's /api/services,
 * Tempo's /ready with a fake Grafana, Zipkin's /health; and something that is not a trace backend at all.
 */
import { describe, expect, it } from 'vitest';
import { createBackendUiReachableCheck } from '../../../src/verify/checks/backend/backend-ui-reachable.js';
import { SpanStore } from '../../../src/verify/receiver/span-store.js';
import {
  backendTestResources,
  checkContext,
  grafanaRoutes,
  jaegerLegacyRoutes,
  jaegerV3Routes,
  tempoRoutes,
  unusedPort,
  zipkinRoutes,
} from './helpers.js';

const { repo, server } = backendTestResources('trace-guide-backend-ui-');

function compose(services: Record<string, { image: string; ports: string[] }>): string {
  const lines = ['services:'];
  for (const [name, s] of Object.entries(services)) {
    lines.push(`  ${name}:`, `    image: ${s.image}`, '    ports:', ...s.ports.map((p) => `      - "${p}"`));
  }
  return `${lines.join('\n')}\n`;
}

const fast = { env: {}, deadlineMs: 300, pollIntervalMs: 50, requestTimeoutMs: 2000 };
const JAEGER = 'jaegertracing/jaeger:2.15.0';

describe('backend-ui-reachable for Jaeger', () => {
  it('passes when /api/v3/services answers (no traces expected yet)', async () => {
    const store = new SpanStore();
    const jaeger = await server(jaegerV3Routes(store));
    const root = await repo({
      'compose.yaml': compose({ jaeger: { image: JAEGER, ports: [`${jaeger.port}:16686`] } }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence).toContainEqual({ note: expect.stringContaining('API v3') });
    expect(result.evidence).toContainEqual({ note: expect.stringContaining('no services yet') });
  });

  it('passes through the UI API when /api/v3 is not there, and says so', async () => {
    const jaeger = await server(jaegerLegacyRoutes(new SpanStore()));
    const root = await repo({
      'compose.yaml': compose({ jaeger: { image: JAEGER, ports: [`${jaeger.port}:16686`] } }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence).toContainEqual({ note: expect.stringContaining("the UI's internal API; v3 is not there") });
    expect(jaeger.requests.map((r) => r.path)).toEqual(['/api/v3/services', '/api/services']);
  });

  it('is skipped with the start command when Jaeger is not running', async () => {
    const root = await repo({
      'compose.yaml': compose({ jaeger: { image: JAEGER, ports: [`${await unusedPort()}:16686`] } }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('skipped');
    expect(result.fix).toBe('start it from the repo root: `docker compose up -d jaeger`');
  });

  it('fails when the published port leads to something that is not Jaeger', async () => {
    const other = await server([
      (_r, url) =>
        url.pathname === '/' ? { status: 200, body: '<html>my app</html>', contentType: 'text/html' } : undefined,
    ]);
    const root = await repo({ 'compose.yaml': compose({ jaeger: { image: JAEGER, ports: [`${other.port}:16686`] } }) });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain("not Jaeger's query API");
    expect(result.summary).toContain('HTTP 404');
  });

  it('fails when the compose file does not publish the UI port', async () => {
    const root = await repo({
      'compose.yaml': compose({ jaeger: { image: JAEGER, ports: ['4317:4317', '4318:4318'] } }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'jaeger' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('does not publish container port 16686');
    expect(result.fix).toContain('"16686:16686"');
  });
});

describe('backend-ui-reachable for Tempo and Zipkin', () => {
  it('passes when Tempo is ready and Grafana answers', async () => {
    const tempo = await server(tempoRoutes(new SpanStore()));
    const grafana = await server(grafanaRoutes());
    const root = await repo({
      'compose.yaml': compose({
        tempo: { image: 'grafana/tempo:2.10.8', ports: [`${tempo.port}:3200`] },
        grafana: { image: 'grafana/grafana:12.2.0', ports: [`${grafana.port}:3000`] },
      }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'tempo' }));
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence).toContainEqual({ note: expect.stringContaining('Grafana 12.2.0, database ok') });
  });

  it('fails when Tempo stays not ready (503) past the deadline', async () => {
    const tempo = await server(tempoRoutes(new SpanStore(), { ready: false }));
    const root = await repo({
      'compose.yaml': compose({ tempo: { image: 'grafana/tempo:2.10.8', ports: [`${tempo.port}:3200`] } }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'tempo' }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('still not ready');
    expect(result.fix).toBe('look at why: `docker compose logs tempo`');
    expect(tempo.requests.length).toBeGreaterThan(1);
  });

  it('is skipped with the start command when Grafana is not running', async () => {
    const tempo = await server(tempoRoutes(new SpanStore()));
    const root = await repo({
      'compose.yaml': compose({
        tempo: { image: 'grafana/tempo:2.10.8', ports: [`${tempo.port}:3200`] },
        grafana: { image: 'grafana/grafana:12.2.0', ports: [`${await unusedPort()}:3000`] },
      }),
    });
    const result = await createBackendUiReachableCheck(fast).run(await checkContext(root, { backend: 'tempo' }));
    expect(result.status).toBe('skipped');
    expect(result.fix).toContain('`docker compose up -d grafana`');
  });

  it('passes when Zipkin reports UP, using TRACE_GUIDE_ZIPKIN_URL', async () => {
    const zipkin = await server(zipkinRoutes(new SpanStore()));
    const root = await repo({});
    const result = await createBackendUiReachableCheck({ ...fast, env: { TRACE_GUIDE_ZIPKIN_URL: zipkin.url } }).run(
      await checkContext(root, { backend: 'zipkin' }),
    );
    expect(result.status, result.summary).toBe('pass');
  });
});
