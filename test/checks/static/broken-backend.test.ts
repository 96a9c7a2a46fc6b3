/**
 * The backend, Collector and Grafana config checks fail for the reason they exist: the Tempo stack the recipes write
 * (passing, see shop.test.ts) with one stale or wrong setting per case, plus hand-written obsolete compose files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../../src/verify/check.js';
import type { CheckResult } from '../../../src/types/check-result.js';
import { backendConfigCurrent } from '../../../src/verify/checks/static/backend-config-current.js';
import { errorTracesAlwaysKept } from '../../../src/verify/checks/static/error-traces-always-kept.js';
import { logsLinkToTraceView } from '../../../src/verify/checks/static/logs-link-to-trace-view.js';
import { retentionMatchesPolicy } from '../../../src/verify/checks/static/retention-matches-policy.js';
import { slowTracesKept } from '../../../src/verify/checks/static/slow-traces-kept.js';
import { spanMetricsGenerated } from '../../../src/verify/checks/static/span-metrics-generated.js';
import { tailSamplingInCollector } from '../../../src/verify/checks/static/tail-sampling-in-collector.js';
import { makeSampleRepo } from '../../helpers/sample-repo.js';
import { instrumentedShop, removeDir, runCheck, show, variant } from './helpers.js';

const TEMPO = {
  backend: 'tempo',
  'tail-sampling': 'errors-and-slow',
  'slow-threshold-ms': 1000,
  'logs-backend': 'loki',
};
let base: string;
const made: string[] = [];

beforeAll(async () => {
  base = await instrumentedShop(TEMPO);
});
afterAll(async () => {
  for (const r of [base, ...made]) await removeDir(r);
});

async function broken(
  check: Check,
  edits: Parameters<typeof variant>[1],
  inputs: Record<string, string | number> = TEMPO,
): Promise<CheckResult> {
  const root = await variant(base, edits);
  made.push(root);
  return runCheck(check, root, inputs);
}

async function sample(
  check: Check,
  files: Record<string, string>,
  inputs: Record<string, string | number>,
): Promise<CheckResult> {
  const root = await makeSampleRepo(files);
  made.push(root);
  return runCheck(check, root, inputs);
}

function expectStatus(r: CheckResult, status: 'fail' | 'warn', about: RegExp): void {
  expect(r.status, show(r)).toBe(status);
  expect(r.summary, show(r)).toMatch(about);
  expect(r.evidence.length, show(r)).toBeGreaterThan(0);
}

const replace = (from: string | RegExp, to: string) => (old: string) => old.replace(from, to);

const STALE_JAEGER = `version: "3.8"
services:
  jaeger:
    image: jaegertracing/all-in-one:1.57
    ports:
      - "16686:16686"
      - "6831:6831/udp"
      - "4317:4317"
`;

describe('backend-config-current', () => {
  it('fails for a compose file with version:, Jaeger all-in-one 1.x and the agent UDP port', async () => {
    const r = await sample(backendConfigCurrent, { 'docker-compose.yml': STALE_JAEGER }, { backend: 'jaeger' });
    expectStatus(r, 'fail', /top-level version: key/);
    expect(r.summary).toMatch(/jaegertracing\/all-in-one:1\.57, Jaeger v1/);
    expect(r.summary).toMatch(/6831:6831\/udp/);
    expect(r.evidence).toContainEqual(expect.objectContaining({ file: 'docker-compose.yml', line: 4 }));
  });

  it('passes for the Jaeger v2 compose file the recipe writes', async () => {
    const root = await instrumentedShop({ backend: 'jaeger', 'tail-sampling': 'none' }, ['backend']);
    made.push(root);
    const r = await runCheck(backendConfigCurrent, root, { backend: 'jaeger' });
    expect(r.status, show(r)).toBe('pass');
  });

  it('reports a compose file that does not parse with line:col', async () => {
    const r = await sample(
      backendConfigCurrent,
      { 'compose.yaml': 'services:\n  jaeger:\n    image: jaegertracing/jaeger:2.15.0\n   ports: [\n' },
      { backend: 'jaeger' },
    );
    expect(r.status, show(r)).toBe('fail');
    expect(r.summary).toMatch(/compose\.yaml does not parse at \d+:\d+/);
  });

  it("fails when Tempo's OTLP receivers have no explicit 0.0.0.0 endpoint", async () => {
    const r = await broken(backendConfigCurrent, {
      'observability/tempo.yaml': replace(/\n {8}grpc:\n {10}endpoint: "0\.0\.0\.0:4317"[^\n]*/, '\n        grpc:'),
    });
    expectStatus(
      r,
      'fail',
      /observability\/tempo\.yaml: Tempo's OTLP grpc receiver has no endpoint, so it binds localhost/,
    );
  });
});

describe('retention-matches-policy', () => {
  it('warns when Tempo does not state block_retention', async () => {
    const r = await broken(retentionMatchesPolicy, {
      'observability/tempo.yaml': replace(/\ncompactor:\n {2}compaction:\n {4}block_retention: 72h[^\n]*/, ''),
    });
    expectStatus(r, 'warn', /observability\/tempo\.yaml: no compactor\.compaction\.block_retention/);
  });
});

describe('tail sampling', () => {
  it('tail-sampling-in-collector fails when tail_sampling is not in the traces pipeline', async () => {
    const r = await broken(tailSamplingInCollector, {
      'observability/otel-collector.yaml': replace(
        'processors: [memory_limiter, tail_sampling, batch]',
        'processors: [memory_limiter, batch]',
      ),
    });
    expectStatus(r, 'fail', /tail_sampling is defined but no traces pipeline uses it/);
  });

  it('tail-sampling-in-collector fails when a service still samples 25% at the head', async () => {
    const r = await broken(tailSamplingInCollector, {
      'orders/otel_setup.py': replace(
        'os.environ.setdefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")',
        'os.environ.setdefault("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")\nos.environ.setdefault("OTEL_TRACES_SAMPLER_ARG", "0.25")',
      ),
    });
    expectStatus(
      r,
      'fail',
      /orders: OTEL_TRACES_SAMPLER=parentbased_traceidratio \(0\.25\) drops 75% of traces before the Collector/,
    );
  });

  it('tail-sampling-in-collector fails when a service exports straight to Tempo', async () => {
    const r = await broken(tailSamplingInCollector, {
      'gateway/tracing.cjs': replace("'http://localhost:4318'", "'http://localhost:14318'"),
    });
    expectStatus(r, 'fail', /gateway: exports to http:\/\/localhost:14318, not to the tail-sampling Collector/);
  });

  it('error-traces-always-kept fails without a status_code ERROR policy', async () => {
    const r = await broken(errorTracesAlwaysKept, {
      'observability/otel-collector.yaml': replace(
        /\n {6}- name: keep-errors\n {8}type: status_code\n {8}status_code:\n {10}status_codes: \[ERROR\]/,
        '',
      ),
    });
    expectStatus(r, 'fail', /has no status_code policy for ERROR/);
  });

  it('slow-traces-kept fails when the latency threshold is not the chosen one', async () => {
    const r = await broken(slowTracesKept, {}, { ...TEMPO, 'slow-threshold-ms': 500 });
    expectStatus(r, 'fail', /keeps traces over 1000 ms, but the chosen threshold is 500 ms/);
  });
});

describe('Grafana and Tempo correlation', () => {
  it('logs-link-to-trace-view fails when tracesToLogsV2 names the Loki datasource instead of its uid', async () => {
    const r = await broken(logsLinkToTraceView, {
      'observability/grafana/provisioning/datasources/datasources.yaml': replace(
        'datasourceUid: loki',
        'datasourceUid: Loki',
      ),
    });
    expectStatus(r, 'fail', /tracesToLogsV2\.datasourceUid "Loki" is the Loki datasource's name, not its uid/);
  });

  it('span-metrics-generated fails without the span-metrics processor and without Prometheus remote write', async () => {
    const r = await broken(spanMetricsGenerated, {
      'observability/tempo.yaml': replace('processors: [service-graphs, span-metrics]', 'processors: [service-graphs]'),
      'compose.yaml': replace('      - --web.enable-remote-write-receiver\n', ''),
    });
    expectStatus(
      r,
      'fail',
      /observability\/tempo\.yaml: the metrics generator's span-metrics processor is not enabled/,
    );
    expect(r.summary).toMatch(/prometheus is not started with --web\.enable-remote-write-receiver/);
  });
});
