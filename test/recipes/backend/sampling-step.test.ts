/**
 * Step 5 (sampling): the tail-sampling Collector config (schema: every processor/exporter a pipeline uses is defined),
 * its policies, the compose service in front of the backend, the load-balancing tier, and apply / idempotency / undo.
 * The Collector itself does not run here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { removeSampleRepo } from '../../helpers/sample-repo.js';
import { applyIn, byId, contentOf, copyShop, noteText, planBackend, snapshot, undoIn, yamlOf } from './harness.js';
import { ComposeFileSchema, hostPorts } from './compose-schema.js';
import { CollectorConfigSchema, type CollectorConfig } from './collector-schema.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

/** A copy of the demo with step 1 applied for this backend. */
async function shopWithBackend(backend: string, extra: Record<string, string> = {}): Promise<string> {
  const root = await copyShop();
  dirs.push(root);
  await applyIn(root, await planBackend(root, 'backend', { backend, ...extra }));
  return root;
}

function policies(config: CollectorConfig): Array<Record<string, any>> {
  return (config.processors!.tail_sampling as { policies: Array<Record<string, any>> }).policies;
}

describe('sampling step', () => {
  it('proposes nothing without tail sampling', async () => {
    const root = await shopWithBackend('jaeger');
    expect(await planBackend(root, 'sampling', { backend: 'jaeger', 'tail-sampling': 'none' })).toEqual([]);
  });

  it('jaeger, errors-and-slow: a Collector that keeps errors, slow traces and a share, in front of Jaeger', async () => {
    const root = await shopWithBackend('jaeger');
    const inputs = {
      backend: 'jaeger',
      'tail-sampling': 'errors-and-slow',
      'slow-threshold-ms': 750,
      'sampling-percent': 25,
    };
    const proposals = await planBackend(root, 'sampling', inputs);

    const config = CollectorConfigSchema.parse(yamlOf(byId(proposals, 'collector-config')));
    const tail = config.processors!.tail_sampling as Record<string, unknown>;
    expect(tail.decision_wait).toBe('10s');
    expect(policies(config)).toEqual([
      { name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: 'keep-slow', type: 'latency', latency: { threshold_ms: 750 } },
      { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 25 } },
    ]);
    expect(config.service.pipelines.traces!.processors).toEqual(['memory_limiter', 'tail_sampling', 'batch']);
    expect(config.exporters['otlp_grpc/backend']).toEqual({ endpoint: 'jaeger:4317', tls: { insecure: true } });

    const composeProposal = byId(proposals, 'collector-service');
    expect(composeProposal.change.kind).toBe('edit');
    const compose = ComposeFileSchema.parse(parse(contentOf(composeProposal)));
    const ports = hostPorts(compose);
    expect(ports.get(4317)).toBe('otel-collector');
    expect(ports.get(4318)).toBe('otel-collector');
    expect(compose.services.jaeger!.ports).toEqual(['16686:16686', '14317:4317', '14318:4318']);
    expect(compose.services['otel-collector']!.volumes).toEqual([
      './observability/otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro',
    ]);
    expect(compose.services['otel-collector']!.depends_on).toEqual(['jaeger']);
    const start = noteText(byId(proposals, 'collector-start'));
    expect(start).toContain('4317 → 14317');
    expect(start).toContain('parentbased_always_on');

    const lb = CollectorConfigSchema.parse(yamlOf(byId(proposals, 'collector-loadbalancing')));
    expect(lb.exporters.loadbalancing).toMatchObject({ routing_key: 'traceID' });
    expect(noteText(byId(proposals, 'collector-scaling'))).toContain('routing_key: traceID');

    const before = await snapshot(root);
    const writes = await applyIn(root, proposals);
    expect(await planBackend(root, 'sampling', inputs)).toEqual([]);
    await undoIn(root, writes);
    expect(await snapshot(root)).toEqual(before);
  });

  it('errors only: no latency policy', async () => {
    const root = await shopWithBackend('tempo');
    const proposals = await planBackend(root, 'sampling', { backend: 'tempo', 'tail-sampling': 'errors' });
    const config = CollectorConfigSchema.parse(yamlOf(byId(proposals, 'collector-config')));
    expect(policies(config).map((p) => p.type)).toEqual(['status_code', 'probabilistic']);
    expect(config.exporters['otlp_grpc/backend']).toMatchObject({ endpoint: 'tempo:4317' });
    const compose = ComposeFileSchema.parse(parse(contentOf(byId(proposals, 'collector-service'))));
    expect(compose.services.tempo!.ports).toEqual(['3200:3200', '14317:4317', '14318:4318']);
  });

  it('zipkin: adds tail sampling to the existing Collector, keeps its Zipkin exporter, no compose change', async () => {
    const root = await shopWithBackend('zipkin');
    const inputs = { backend: 'zipkin', 'tail-sampling': 'errors' };
    const proposals = await planBackend(root, 'sampling', inputs);
    expect(proposals.some((p) => p.id === 'collector-service')).toBe(false);
    const edit = byId(proposals, 'collector-config');
    expect(edit.change.kind).toBe('edit');
    const config = CollectorConfigSchema.parse(parse(contentOf(edit)));
    expect(config.service.pipelines.traces).toEqual({
      receivers: ['otlp'],
      processors: ['memory_limiter', 'tail_sampling', 'batch'],
      exporters: ['zipkin'],
    });
    expect(contentOf(edit)).toContain('# OpenTelemetry Collector (contrib): OTLP in, Zipkin out');
    await applyIn(root, proposals);
    expect(await planBackend(root, 'sampling', inputs)).toEqual([]);
  });

  it('local: the config for a Collector run by hand next to the built-in receiver, and a note; no compose', async () => {
    const root = await shopWithBackend('local');
    const proposals = await planBackend(root, 'sampling', { backend: 'local', 'tail-sampling': 'errors-and-slow' }, []);
    const config = CollectorConfigSchema.parse(yamlOf(byId(proposals, 'collector-config')));
    expect(config.receivers.otlp).toEqual({
      protocols: { grpc: { endpoint: '127.0.0.1:14317' }, http: { endpoint: '127.0.0.1:14318' } },
    });
    expect(config.exporters['otlp_grpc/backend']).toMatchObject({ endpoint: '127.0.0.1:4317' });
    expect(noteText(byId(proposals, 'local-tail-sampling'))).toContain('does not tail-sample');
    expect(proposals.some((p) => p.change.kind !== 'note' && 'path' in p.change && /compose/.test(p.change.path))).toBe(
      false,
    );
  });

  it('vendor: exports over OTLP/HTTP with the key taken from the environment', async () => {
    const extra = { 'otlp-endpoint': 'https://otlp.vendor.example' };
    const root = await shopWithBackend('otlp-vendor', extra);
    const proposals = await planBackend(root, 'sampling', {
      backend: 'otlp-vendor',
      'tail-sampling': 'errors',
      ...extra,
    });
    const text = contentOf(byId(proposals, 'collector-config'));
    const config = CollectorConfigSchema.parse(parse(text));
    expect(config.exporters['otlp_http/vendor']).toEqual({
      endpoint: 'https://otlp.vendor.example',
      headers: { authorization: '${env:OTLP_VENDOR_AUTHORIZATION}' },
    });
    const compose = ComposeFileSchema.parse(parse(contentOf(byId(proposals, 'collector-service'))));
    expect(compose.services['otel-collector']!.environment).toEqual(['OTLP_VENDOR_AUTHORIZATION']);
  });
});
