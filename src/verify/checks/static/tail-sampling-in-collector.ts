/**
 * tail-sampling-in-collector: a Collector config has a tail_sampling processor (with decision_wait) in a traces
 * pipeline; the services export to that Collector (their endpoint port is one the Collector publishes) and keep 100% at
 * the head; with more than one instance, a loadbalancing exporter routes by traceID.
 */
import type { Check } from '../../check.js';
import { combine, type Finding } from './support/result.js';
import { allTailSamplers, collectorConfigs } from '../../../source-reading/collector.js';
import { headDropFindings } from './support/head-sampling.js';
import { checkedServices } from '../../../source-reading/repo-files.js';
import { otelSettings, setting } from '../../../source-reading/otel-settings.js';
import {
  composePorts,
  valueAt,
  isComposeFile,
  asRecord,
  servicesMounting,
  yamlEvidence,
  yamlFiles,
} from '../../../source-reading/yaml-files.js';

const ITEM = 'tail-sampling-in-collector';

export const tailSamplingInCollector: Check = {
  itemId: ITEM,
  async run(ctx) {
    const samplers = await allTailSamplers(ctx);
    const used = samplers.filter((s) => s.pipelines.length > 0);
    if (used.length === 0) {
      const unused = samplers[0];
      return combine(
        ITEM,
        [
          {
            status: 'fail',
            message: unused
              ? `${unused.file.path}: ${unused.key} is defined but no traces pipeline uses it`
              : 'no OpenTelemetry Collector config with a tail_sampling processor',
            evidence: unused ? [yamlEvidence(unused.file, ['processors', unused.key])] : [],
            fix: unused
              ? `Add ${unused.key} to service.pipelines.traces.processors.`
              : 'Add an OpenTelemetry Collector (contrib) with a tail_sampling processor in its traces pipeline, in front of the backend.',
          },
        ],
        '',
      );
    }
    const findings: Finding[] = [];
    const compose = (await yamlFiles(ctx)).filter(isComposeFile);
    const hostPorts = new Set<number>();
    for (const s of used) {
      const wait = s.config.decision_wait;
      findings.push(
        wait
          ? {
              status: 'pass',
              message: `${s.file.path}: ${s.key} (decision_wait ${String(wait)}) runs in ${s.pipelines.join(', ')}`,
              evidence: [yamlEvidence(s.file, ['processors', s.key])],
            }
          : {
              status: 'warn',
              message: `${s.file.path}: ${s.key} has no decision_wait (the default 30s holds every trace in memory that long)`,
              evidence: [yamlEvidence(s.file, ['processors', s.key])],
              fix: 'Set decision_wait (e.g. 10s) to how long your traces take to complete.',
            },
      );
      for (const m of servicesMounting(compose, s.file.path)) {
        for (const p of composePorts(m.service)) hostPorts.add(p.host ?? p.container);
        const replicas = Number(valueAt(m.service, 'deploy', 'replicas') ?? m.service.scale ?? 1);
        if (replicas > 1) {
          const lb = (await collectorConfigs(ctx)).find((c) =>
            Object.keys(asRecord(valueAt(c.value, 'exporters')) ?? {}).some((k) => k.startsWith('loadbalancing')),
          );
          if (!lb)
            findings.push({
              status: 'fail',
              message: `${m.file.path}: ${m.name} runs ${replicas} tail-sampling instances without a loadbalancing tier, so a trace's spans are split between them`,
              evidence: [yamlEvidence(m.file, ['services', m.name])],
              fix: 'Put a Collector with the loadbalancing exporter (routing_key: traceID) in front of them.',
            });
        }
      }
    }
    for (const c of await collectorConfigs(ctx)) {
      for (const [k, e] of Object.entries(asRecord(valueAt(c.value, 'exporters')) ?? {})) {
        if (!k.startsWith('loadbalancing')) continue;
        const key = valueAt(e, 'routing_key');
        if (key !== undefined && key !== 'traceID')
          findings.push({
            status: 'fail',
            message: `${c.path}: the loadbalancing exporter routes by ${String(key)}, so a trace's spans reach different samplers`,
            evidence: [yamlEvidence(c, ['exporters', k, 'routing_key'])],
            fix: 'Set routing_key: traceID.',
          });
      }
    }
    if (hostPorts.size > 0) {
      for (const service of checkedServices(ctx)) {
        const settings = await otelSettings(ctx, service);
        const ep =
          setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? setting(settings, 'OTEL_EXPORTER_OTLP_ENDPOINT');
        const port = ep ? Number(/:(\d+)(?:\/|$)/.exec(ep.value)?.[1]) : undefined;
        if (ep && port && !hostPorts.has(port) && !/collector/.test(ep.value)) {
          findings.push({
            status: 'fail',
            message: `${service.name}: exports to ${ep.value}, not to the tail-sampling Collector (ports ${[...hostPorts].join(', ')})`,
            evidence: [ep.evidence],
            fix: 'Point OTEL_EXPORTER_OTLP_ENDPOINT at the Collector, not at the backend.',
          });
        }
      }
    }
    findings.push(...(await headDropFindings(ctx, 'so the tail sampler decides on what is left')));
    return combine(ITEM, findings, '');
  },
};
