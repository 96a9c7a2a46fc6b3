import { isMap, isScalar, isSeq, YAMLSeq, type Document } from 'yaml';
import { mergeMissing, parseYaml, stringifyLike } from '../../../yaml/merge.js';

export type CollectorEdit =
  | { ok: true; changed: false }
  | { ok: true; changed: true; text: string }
  | { ok: false; message: string; line: number; col: number };

/** Whether a Collector config already tail-samples in its traces pipeline. */
export function hasTailSampling(doc: Document): boolean {
  const processors = doc.getIn(['service', 'pipelines', 'traces', 'processors'], true);
  if (!isSeq(processors)) return false;
  return processors.items.some((p) => isScalar(p) && String(p.value).split('/')[0] === 'tail_sampling');
}

/**
 * Adds tail sampling to an existing Collector config (e.g. the Zipkin one from step 1): the memory_limiter and
 * tail_sampling processors from `template` where missing, and the traces pipeline's processors ordered
 * memory_limiter → tail_sampling → (the user's others) → batch. Receivers and exporters stay as they are.
 */
export function addTailSampling(current: string, template: string): CollectorEdit {
  const parsed = parseYaml(current);
  if (!parsed.ok) return parsed;
  const doc = parsed.doc;
  if (hasTailSampling(doc)) return { ok: true, changed: false };
  const source = parseYaml(template);
  if (!source.ok) throw new Error(`collector template does not parse: ${source.message}`);
  const wanted = source.doc.get('processors', true);
  if (!isMap(wanted)) throw new Error('collector template has no processors');

  let processors = doc.get('processors', true);
  if (!isMap(processors)) {
    doc.set('processors', doc.createNode({}));
    processors = doc.get('processors', true);
  }
  if (!isMap(processors)) throw new Error('could not create processors');
  for (const name of ['memory_limiter', 'tail_sampling', 'batch']) {
    if (!processors.has(name)) {
      const pair = wanted.items.find((p) => isScalar(p.key) && p.key.value === name);
      if (pair) processors.items.push(pair.clone());
    }
  }
  // Keep the user's processor definitions (mergeMissing never overrides a value).
  mergeMissing(processors, wanted);

  const pipeline = doc.getIn(['service', 'pipelines', 'traces'], true);
  if (!isMap(pipeline)) return { ok: false, message: 'the config has no service.pipelines.traces', line: 1, col: 1 };
  const existing = pipeline.get('processors', true);
  const names = isSeq(existing) ? existing.items.map((i) => String(isScalar(i) ? i.value : i)) : [];
  const others = names.filter((n) => !['memory_limiter', 'tail_sampling', 'batch'].includes(n));
  const ordered = ['memory_limiter', 'tail_sampling', ...others, 'batch'];
  const seq = doc.createNode(ordered) as YAMLSeq;
  seq.flow = isSeq(existing) ? (existing.flow ?? true) : true;
  pipeline.set('processors', seq);
  return { ok: true, changed: true, text: stringifyLike(doc, current) };
}
