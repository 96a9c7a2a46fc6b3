/**
 * retention-matches-policy: the backend's retention is stated explicitly — Tempo's compactor.compaction.block_retention,
 * a Jaeger v2 config's badger ttl.spans or memory max_traces, or (default compose) Jaeger's bounded in-memory store —
 * and it is finite: development stacks keep traces for days, not forever.
 */
import type { Check } from '../../check.js';
import { combine, type Finding } from './support/result.js';
import {
  composeServices,
  valueAt,
  isComposeFile,
  isTempoConfig,
  asRecord,
  yamlEvidence,
  yamlFiles,
  type YamlFile,
} from '../../../source-reading/yaml-files.js';

const ITEM = 'retention-matches-policy';

function hours(v: string): number | undefined {
  let total = 0;
  let any = false;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) {
    any = true;
    const n = Number(m[1]);
    total +=
      n *
      ({ ms: 1 / 3_600_000, s: 1 / 3600, m: 1 / 60, h: 1, d: 24, w: 168, y: 8760 } as Record<string, number>)[m[2]!]!;
  }
  return any ? total : undefined;
}

export const retentionMatchesPolicy: Check = {
  itemId: ITEM,
  async run(ctx) {
    const all = await yamlFiles(ctx);
    const findings: Finding[] = [];
    for (const t of all.filter(isTempoConfig)) {
      const r = valueAt(t.value, 'compactor', 'compaction', 'block_retention');
      if (typeof r !== 'string') {
        findings.push({
          status: 'warn',
          message: `${t.path}: no compactor.compaction.block_retention, so Tempo keeps its default (14 days) without saying so`,
          evidence: [yamlEvidence(t, ['compactor'])],
          fix: 'State it: compactor.compaction.block_retention: 72h (or your policy).',
        });
        continue;
      }
      const h = hours(r);
      findings.push(
        h !== undefined && h > 0
          ? {
              status: 'pass',
              message: `${t.path}: Tempo keeps traces for ${r}`,
              evidence: [yamlEvidence(t, ['compactor', 'compaction', 'block_retention'])],
            }
          : {
              status: 'warn',
              message: `${t.path}: block_retention ${r} is not a finite duration`,
              evidence: [yamlEvidence(t, ['compactor', 'compaction', 'block_retention'])],
              fix: 'Use a duration such as 72h.',
            },
      );
    }
    for (const j of all.filter((f) => asRecord(valueAt(f.value, 'extensions', 'jaeger_storage')) !== undefined))
      findings.push(jaegerConfig(j));
    const hasJaegerConfig = findings.some((f) => f.message.includes('Jaeger'));
    for (const f of all.filter(isComposeFile)) {
      for (const [name, s] of Object.entries(composeServices(f))) {
        const image = String(s.image ?? '');
        if (/jaegertracing\/jaeger:/.test(image) && !hasJaegerConfig && s.command === undefined) {
          findings.push({
            status: 'pass',
            message: `${f.path}: ${name} uses Jaeger's default in-memory store: a bounded number of traces, lost on restart`,
            evidence: [
              yamlEvidence(f, ['services', name, 'image']),
              { note: 'jaeger 2.x default config: memory storage, max_traces 100000' },
            ],
          });
        } else if (/openzipkin\/zipkin/.test(image)) {
          const env = JSON.stringify(s.environment ?? '');
          findings.push(
            /STORAGE_TYPE[=":\s]+(?!mem)/.test(env)
              ? {
                  status: 'warn',
                  message: `${f.path}: ${name} stores spans outside memory; set retention in that store (index lifecycle / TTL)`,
                  evidence: [yamlEvidence(f, ['services', name, 'environment'])],
                }
              : {
                  status: 'pass',
                  message: `${f.path}: ${name} keeps spans in memory (bounded, lost on restart)`,
                  evidence: [yamlEvidence(f, ['services', name, 'image'])],
                },
          );
        }
      }
    }
    return combine(ITEM, findings, 'no Tempo, Jaeger or Zipkin configuration in the repo');
  },
};

function jaegerConfig(j: YamlFile): Finding {
  const backends = asRecord(valueAt(j.value, 'extensions', 'jaeger_storage', 'backends')) ?? {};
  for (const [name, b] of Object.entries(backends)) {
    const ttl = valueAt(b, 'badger', 'ttl', 'spans');
    if (valueAt(b, 'badger') !== undefined) {
      return typeof ttl === 'string'
        ? {
            status: 'pass',
            message: `${j.path}: Jaeger's badger store ${name} keeps spans for ${ttl}`,
            evidence: [yamlEvidence(j, ['extensions', 'jaeger_storage', 'backends', name, 'badger', 'ttl', 'spans'])],
          }
        : {
            status: 'warn',
            message: `${j.path}: Jaeger's badger store ${name} has no ttl.spans (default 72h, unstated)`,
            evidence: [yamlEvidence(j, ['extensions', 'jaeger_storage', 'backends', name])],
            fix: 'Set badger.ttl.spans explicitly.',
          };
    }
    const max = valueAt(b, 'memory', 'max_traces');
    if (max !== undefined)
      return {
        status: 'pass',
        message: `${j.path}: Jaeger's memory store ${name} keeps at most ${String(max)} traces`,
        evidence: [yamlEvidence(j, ['extensions', 'jaeger_storage', 'backends', name, 'memory', 'max_traces'])],
      };
  }
  return {
    status: 'warn',
    message: `${j.path}: the Jaeger storage backend states no retention`,
    evidence: [yamlEvidence(j, ['extensions', 'jaeger_storage'])],
    fix: 'Set a badger ttl.spans or a memory max_traces.',
  };
}
