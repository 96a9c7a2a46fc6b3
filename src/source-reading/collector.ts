/** Collector configs with a tail_sampling processor in a traces pipeline, and their policies (nested ones included). */
import type { SourceContext } from './source-context.js';
import { asArray, valueAt, isCollectorConfig, asRecord, yamlFiles, type YamlFile } from './yaml-files.js';

export interface TailSampler {
  file: YamlFile;
  /** The processor's key (tail_sampling or tail_sampling/name). */
  key: string;
  config: Record<string, unknown>;
  /** The traces pipelines that use it. */
  pipelines: string[];
  policies: Record<string, unknown>[];
}

function flatPolicies(list: unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of list) {
    const o = asRecord(p);
    if (!o) continue;
    out.push(o);
    out.push(
      ...flatPolicies(asArray(valueAt(o, 'and', 'and_sub_policy'))),
      ...flatPolicies(asArray(valueAt(o, 'composite', 'composite_sub_policy'))),
    );
  }
  return out;
}

export async function collectorConfigs(ctx: Pick<SourceContext, 'root' | 'repo'>): Promise<YamlFile[]> {
  return (await yamlFiles(ctx)).filter(isCollectorConfig);
}

export function tailSamplers(f: YamlFile): TailSampler[] {
  const out: TailSampler[] = [];
  const processors = asRecord(valueAt(f.value, 'processors')) ?? {};
  const pipelines = asRecord(valueAt(f.value, 'service', 'pipelines')) ?? {};
  for (const [key, config] of Object.entries(processors)) {
    if (key !== 'tail_sampling' && !key.startsWith('tail_sampling/')) continue;
    const using = Object.entries(pipelines)
      .filter(
        ([name, p]) =>
          (name === 'traces' || name.startsWith('traces/')) && asArray(valueAt(p, 'processors')).includes(key),
      )
      .map(([name]) => name);
    out.push({
      file: f,
      key,
      config: asRecord(config) ?? {},
      pipelines: using,
      policies: flatPolicies(asArray(valueAt(config, 'policies'))),
    });
  }
  return out;
}

export async function allTailSamplers(ctx: Pick<SourceContext, 'root' | 'repo'>): Promise<TailSampler[]> {
  return (await collectorConfigs(ctx)).flatMap(tailSamplers);
}
