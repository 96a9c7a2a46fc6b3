/**
 * Step 6 (correlation) for Tempo: the metrics generator in tempo.yaml, Grafana links by uid, Loki in compose — as edits of
 * the files step 1 created, keeping their comments — then idempotency and undo. Grafana, Tempo and Loki do not run here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { removeSampleRepo } from '../../helpers/sample-repo.js';
import { applyIn, byId, contentOf, copyShop, noteText, planBackend, snapshot, undoIn } from './harness.js';
import { ComposeFileSchema } from './compose-schema.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});
async function shopWithTempo(): Promise<string> {
  const root = await copyShop();
  dirs.push(root);
  await applyIn(root, await planBackend(root, 'backend', { backend: 'tempo' }));
  return root;
}
const DATASOURCES = 'observability/grafana/provisioning/datasources/datasources.yaml';

describe('correlation step: tempo', () => {
  it('turns on span metrics and the service graph, links exemplars, traces and logs by uid, and adds Loki', async () => {
    const root = await shopWithTempo();
    const inputs = { backend: 'tempo', 'logs-backend': 'loki' };
    const before = await snapshot(root);
    const original = await readFile(path.join(root, 'observability/tempo.yaml'), 'utf8');
    const proposals = await planBackend(root, 'correlation', inputs);

    const tempoEdit = byId(proposals, 'tempo-metrics-generator');
    expect(tempoEdit.change).toMatchObject({
      kind: 'edit',
      path: 'observability/tempo.yaml',
      edits: [{ old: original }],
    });
    const tempoText = contentOf(tempoEdit);
    expect(tempoText.startsWith(original.trimEnd())).toBe(true); // comments and settings kept
    const tempo = parse(tempoText) as Record<string, any>;
    expect(tempo.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics']);
    expect(tempo.overrides.defaults.metrics_generator.trace_id_label_name).toBe('trace_id');
    expect(tempo.metrics_generator.storage.remote_write).toEqual([
      { url: 'http://prometheus:9090/api/v1/write', send_exemplars: true },
    ]);
    expect(tempoText).toContain('traces_spanmetrics_*');
    expect(parse(contentOf(byId(proposals, 'tempo-s3-metrics-generator'))).storage.trace.backend).toBe('s3');

    const sources = (parse(contentOf(byId(proposals, 'grafana-links'))) as { datasources: Array<Record<string, any>> })
      .datasources;
    const byType = Object.fromEntries(sources.map((d) => [d.type, d]));
    expect(byType.tempo.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', filterByTraceID: true });
    expect(byType.tempo.jsonData.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    expect(byType.prometheus.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'tempo' },
    ]);
    expect(byType.loki).toMatchObject({ uid: 'loki', url: 'http://loki:3100' });
    expect(byType.loki.jsonData.derivedFields[0]).toMatchObject({ datasourceUid: 'tempo', url: '$${__value.raw}' });

    const compose = ComposeFileSchema.parse(parse(contentOf(byId(proposals, 'loki-service'))));
    expect(compose.services.loki!.image).toMatch(/^grafana\/loki:3\.\d+\.\d+$/);
    expect(Object.keys(compose.services).slice(0, 4)).toEqual(['tempo-init', 'tempo', 'prometheus', 'grafana']);
    expect(noteText(byId(proposals, 'correlation-restart'))).toContain('traces_spanmetrics_calls_total');

    const writes = await applyIn(root, proposals);
    expect(await planBackend(root, 'correlation', inputs)).toEqual([]);
    await undoIn(root, writes);
    expect(await snapshot(root)).toEqual(before);
  });

  it('without Loki: no trace-to-logs link and no Loki service', async () => {
    const root = await shopWithTempo();
    const proposals = await planBackend(root, 'correlation', { backend: 'tempo', 'logs-backend': 'none' });
    expect(proposals.some((p) => p.id === 'loki-service')).toBe(false);
    const sources = (parse(contentOf(byId(proposals, 'grafana-links'))) as { datasources: Array<Record<string, any>> })
      .datasources;
    expect(sources.map((d) => d.type)).toEqual(['tempo', 'prometheus']);
    expect(sources[0]!.jsonData.tracesToLogsV2).toBeUndefined();
  });

  it('uses the uids the datasources file already has', async () => {
    const root = await shopWithTempo();
    const file = path.join(root, DATASOURCES);
    const custom = (await readFile(file, 'utf8'))
      .replace('uid: tempo', 'uid: traces-main')
      .replace('uid: prometheus', 'uid: prom-main');
    await writeFile(file, custom);
    const proposals = await planBackend(root, 'correlation', { backend: 'tempo', 'logs-backend': 'none' });
    const sources = (parse(contentOf(byId(proposals, 'grafana-links'))) as { datasources: Array<Record<string, any>> })
      .datasources;
    expect(sources[0]).toMatchObject({ uid: 'traces-main', jsonData: { serviceMap: { datasourceUid: 'prom-main' } } });
    expect(sources[1]!.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'traces-main' },
    ]);
  });

  it('jaeger: a note on what the Monitor tab needs, no file changes', async () => {
    const root = await copyShop();
    dirs.push(root);
    const proposals = await planBackend(root, 'correlation', { backend: 'jaeger', 'logs-backend': 'loki' });
    expect(proposals.map((p) => p.change.kind)).toEqual(['note']);
    expect(noteText(proposals[0]!)).toContain('spanmetrics connector');
  });
});
