/**
 * span-metrics-generated: Tempo's metrics generator has service-graphs and span-metrics on for the tenant
 * (overrides.defaults.metrics_generator.processors, or the legacy flat metrics_generator_processors), remote-writes to
 * Prometheus with exemplars, and the Prometheus container runs with --web.enable-remote-write-receiver and
 * --enable-feature=exemplar-storage. The series are then traces_spanmetrics_* and traces_service_graph_*.
 */
import type { Check } from '../../check.js';
import { combine, type Finding } from './support/result.js';
import {
  asArray,
  composeServices,
  valueAt,
  isComposeFile,
  isTempoConfig,
  yamlEvidence,
  yamlFiles,
} from '../../../source-reading/yaml-files.js';

const ITEM = 'span-metrics-generated';

export const spanMetricsGenerated: Check = {
  itemId: ITEM,
  async run(ctx) {
    const all = await yamlFiles(ctx);
    const tempos = all.filter(isTempoConfig);
    if (tempos.length === 0)
      return combine(
        ITEM,
        [
          {
            status: 'fail',
            message: 'no Tempo configuration in the repo',
            evidence: [],
            fix: 'Add tempo.yaml (step 1 with the tempo backend) and enable its metrics generator (step 6).',
          },
        ],
        '',
      );
    const findings: Finding[] = [];
    let remoteWrite = false;
    for (const t of tempos) {
      const procs = [
        ...asArray(valueAt(t.value, 'overrides', 'defaults', 'metrics_generator', 'processors')),
        ...asArray(valueAt(t.value, 'overrides', 'metrics_generator_processors')),
      ].map(String);
      const missing = ['service-graphs', 'span-metrics'].filter((p) => !procs.includes(p));
      const procPath =
        valueAt(t.value, 'overrides', 'defaults') !== undefined
          ? ['overrides', 'defaults', 'metrics_generator', 'processors']
          : ['overrides'];
      if (missing.length > 0)
        findings.push({
          status: 'fail',
          message: `${t.path}: the metrics generator's ${missing.join(' and ')} processor${missing.length > 1 ? 's are' : ' is'} not enabled for the tenant`,
          evidence: [yamlEvidence(t, procPath)],
          fix: 'Set overrides.defaults.metrics_generator.processors: [service-graphs, span-metrics].',
        });
      const writes = asArray(valueAt(t.value, 'metrics_generator', 'storage', 'remote_write'));
      const url = writes.map((w) => valueAt(w, 'url')).find((u) => typeof u === 'string');
      if (!url)
        findings.push({
          status: 'fail',
          message: `${t.path}: metrics_generator.storage.remote_write has no url, so the metrics go nowhere`,
          evidence: [yamlEvidence(t, ['metrics_generator'])],
          fix: 'Add metrics_generator.storage.remote_write: [{ url: http://prometheus:9090/api/v1/write, send_exemplars: true }].',
        });
      else {
        remoteWrite = true;
        const exemplars = writes.some((w) => valueAt(w, 'send_exemplars') === true);
        findings.push(
          exemplars
            ? {
                status: 'pass',
                message: `${t.path}: span metrics and the service graph are remote-written with exemplars to ${String(url)}`,
                evidence: [yamlEvidence(t, ['metrics_generator', 'storage', 'remote_write'])],
              }
            : {
                status: 'warn',
                message: `${t.path}: remote_write does not send exemplars, so metrics will not link to traces`,
                evidence: [yamlEvidence(t, ['metrics_generator', 'storage', 'remote_write'])],
                fix: 'Set send_exemplars: true on the remote_write entry.',
              },
        );
      }
    }
    if (remoteWrite) {
      const proms = all.filter(isComposeFile).flatMap((f) =>
        Object.entries(composeServices(f))
          .filter(([, s]) => /prom\/prometheus|prometheus/.test(String(s.image ?? '')))
          .map(([name, s]) => ({ f, name, s })),
      );
      for (const p of proms) {
        const cmd = Array.isArray(p.s.command) ? p.s.command.map(String).join(' ') : String(p.s.command ?? '');
        const lacks = ['--web.enable-remote-write-receiver', 'exemplar-storage'].filter((flag) => !cmd.includes(flag));
        if (lacks.length > 0)
          findings.push({
            status: 'fail',
            message: `${p.f.path}: ${p.name} is not started with ${lacks.join(' and ')}, so it ${lacks[0]!.includes('remote') ? "rejects Tempo's remote writes" : 'drops exemplars'}`,
            evidence: [yamlEvidence(p.f, ['services', p.name])],
            fix: 'Add --web.enable-remote-write-receiver and --enable-feature=exemplar-storage to the Prometheus command.',
          });
      }
    }
    return combine(ITEM, findings, '');
  },
};
