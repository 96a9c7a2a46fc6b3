/**
 * metrics-link-to-traces-via-exemplars against a FAKE Prometheus (instant query and query_exemplars in their documented
 * JSON shapes) and a FAKE Tempo; the Grafana datasources file is the one the correlation step provisions.
 */
import { describe, expect, it } from 'vitest';
import { createMetricsLinkToTracesViaExemplarsCheck } from '../../../src/verify/checks/backend/metrics-link-to-traces-via-exemplars.js';
import { TempoClient } from '../../../src/verify/checks/backend/tempo-client.js';
import { SpanStore } from '../../../src/verify/receiver/span-store.js';
import { makeSpan } from '../../receiver/helpers.js';
import {
  backendTestResources,
  checkContext,
  get,
  tempoRoutes,
  unusedPort,
  type FakeServer,
  type Route,
} from './helpers.js';

const { repo, server } = backendTestResources('trace-guide-exemplars-');

const DATASOURCES = 'observability/grafana/provisioning/datasources/datasources.yaml';
function datasources(destination: string): string {
  return `apiVersion: 1

datasources:
  - name: Tempo
    uid: tempo
    type: tempo
    url: http://tempo:3200
  - name: Prometheus
    uid: prometheus
    type: prometheus
    url: http://prometheus:9090
    jsonData:
      exemplarTraceIdDestinations:
${destination}
`;
}
const BY_UID = '        - name: trace_id\n          datasourceUid: tempo';
const BY_NAME = '        - name: trace_id\n          datasourceName: Tempo';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function prometheusRoutes(options: { series: boolean; exemplarLabel?: string }): Route[] {
  return [
    get('/api/v1/query', () => ({
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: options.series
            ? [
                {
                  metric: {
                    __name__: 'traces_spanmetrics_calls_total',
                    service: 'gateway',
                    span_name: 'GET /checkout/:sku',
                    span_kind: 'SPAN_KIND_SERVER',
                    status_code: 'STATUS_CODE_UNSET',
                  },
                  value: [1700000000.123, '42'],
                },
              ]
            : [],
        },
      },
    })),
    get('/api/v1/query_exemplars', () => ({
      status: 200,
      body: {
        status: 'success',
        data: options.exemplarLabel
          ? [
              {
                seriesLabels: { __name__: 'traces_spanmetrics_latency_bucket', le: '0.1', service: 'gateway' },
                exemplars: [{ labels: { [options.exemplarLabel]: TRACE_ID }, value: '0.023', timestamp: 1700000000.5 }],
              },
            ]
          : [],
      },
    })),
  ];
}

function compose(prometheusPort: number, tempoPort: number): string {
  return [
    'services:',
    '  tempo:',
    '    image: grafana/tempo:2.10.8',
    '    ports:',
    `      - "${tempoPort}:3200"`,
    '  prometheus:',
    '    image: prom/prometheus:v3.13.1',
    '    ports:',
    `      - "${prometheusPort}:9090"`,
    '',
  ].join('\n');
}

const fast = { env: {}, deadlineMs: 300, pollIntervalMs: 50, requestTimeoutMs: 2000 };

async function tempoWithTrace(): Promise<FakeServer> {
  const store = new SpanStore();
  store.add([makeSpan({ traceId: TRACE_ID, serviceName: 'gateway' })]);
  return server(tempoRoutes(store));
}

describe('metrics-link-to-traces-via-exemplars', () => {
  it('passes when span metrics carry trace_id exemplars that Tempo resolves', async () => {
    const prometheus = await server(prometheusRoutes({ series: true, exemplarLabel: 'trace_id' }));
    const tempo = await tempoWithTrace();
    const root = await repo({
      [DATASOURCES]: datasources(BY_UID),
      'compose.yaml': compose(prometheus.port, tempo.port),
    });
    const result = await createMetricsLinkToTracesViaExemplarsCheck(fast).run(
      await checkContext(root, { backend: 'tempo' }),
    );
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence).toContainEqual({ note: expect.stringContaining(`one points at trace ${TRACE_ID}`) });
    expect(result.evidence).toContainEqual({ note: expect.stringContaining(`Tempo returns trace ${TRACE_ID}`) });
    expect(prometheus.requests.map((r) => r.path)).toEqual(['/api/v1/query', '/api/v1/query_exemplars']);
  });

  it('fails when the span metrics carry no exemplars', async () => {
    const prometheus = await server(prometheusRoutes({ series: true }));
    const root = await repo({
      [DATASOURCES]: datasources(BY_UID),
      'compose.yaml': compose(prometheus.port, await unusedPort()),
    });
    const result = await createMetricsLinkToTracesViaExemplarsCheck(fast).run(
      await checkContext(root, { backend: 'tempo' }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('carry no exemplars');
    expect(result.fix).toContain('send_exemplars: true');
  });

  it('fails when the exemplar label is not the one Grafana reads', async () => {
    const prometheus = await server(prometheusRoutes({ series: true, exemplarLabel: 'traceID' }));
    const root = await repo({
      [DATASOURCES]: datasources(BY_UID),
      'compose.yaml': compose(prometheus.port, await unusedPort()),
    });
    const result = await createMetricsLinkToTracesViaExemplarsCheck(fast).run(
      await checkContext(root, { backend: 'tempo' }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('exemplars carry traceID, but Grafana looks for the trace id in "trace_id"');
  });

  it('fails when the datasource points at Tempo by name instead of uid', async () => {
    const root = await repo({ [DATASOURCES]: datasources(BY_NAME) });
    const result = await createMetricsLinkToTracesViaExemplarsCheck(fast).run(
      await checkContext(root, { backend: 'tempo' }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('no datasourceUid');
    expect(result.evidence).toContainEqual(expect.objectContaining({ file: DATASOURCES, line: 14 }));
  });

  it('is skipped with the start command when Prometheus is not running', async () => {
    const root = await repo({
      [DATASOURCES]: datasources(BY_UID),
      'compose.yaml': compose(await unusedPort(), await unusedPort()),
    });
    const result = await createMetricsLinkToTracesViaExemplarsCheck(fast).run(
      await checkContext(root, { backend: 'tempo' }),
    );
    expect(result.status).toBe('skipped');
    expect(result.fix).toContain('`docker compose up -d prometheus`');
  });

  it('is skipped when no span metrics have arrived yet', async () => {
    const prometheus = await server(prometheusRoutes({ series: false }));
    const root = await repo({
      [DATASOURCES]: datasources(BY_UID),
      'compose.yaml': compose(prometheus.port, await unusedPort()),
    });
    const result = await createMetricsLinkToTracesViaExemplarsCheck(fast).run(
      await checkContext(root, { backend: 'tempo' }),
    );
    expect(result.status).toBe('skipped');
    expect(result.summary).toContain('no traces_spanmetrics_calls_total series yet');
  });
});

describe('TempoClient.search (TraceQL)', () => {
  it('sends q= and reads the traces of the answer', async () => {
    const tempo = await tempoWithTrace();
    const found = await new TempoClient(tempo.url).search('{ resource.service.name = "gateway" }');
    expect(found.ok && found.traces.map((t) => [t.traceID, t.rootServiceName])).toEqual([[TRACE_ID, 'gateway']]);
    expect(tempo.requests[0]!.path).toBe('/api/search');
    expect(new URLSearchParams(tempo.requests[0]!.search).get('q')).toBe('{ resource.service.name = "gateway" }');
  });
});
