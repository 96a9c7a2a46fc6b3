/** slow-traces-kept: a tail_sampling latency policy whose threshold_ms is the slow threshold chosen in the sampling step. */
import type { Check } from '../../check.js';
import { answerOf } from '../../../skill/lookup.js';
import { combine, type Finding } from './support/result.js';
import { allTailSamplers } from '../../../source-reading/collector.js';
import { valueAt, yamlEvidence } from '../../../source-reading/yaml-files.js';

const ITEM = 'slow-traces-kept';

export const slowTracesKept: Check = {
  itemId: ITEM,
  async run(ctx) {
    const wanted = Number(answerOf(ctx.skill, 'slow-threshold-ms', ctx.inputs));
    const samplers = (await allTailSamplers(ctx)).filter((s) => s.pipelines.length > 0);
    if (samplers.length === 0)
      return combine(
        ITEM,
        [
          {
            status: 'fail',
            message: 'no tail_sampling processor in a Collector traces pipeline, so nothing keeps slow traces',
            evidence: [],
            fix: `Add a latency policy with threshold_ms: ${wanted}.`,
          },
        ],
        '',
      );
    const findings: Finding[] = samplers.map((s) => {
      const latency = s.policies.filter((p) => p.type === 'latency');
      const ev = [yamlEvidence(s.file, ['processors', s.key, 'policies'])];
      if (latency.length === 0)
        return {
          status: 'fail',
          message: `${s.file.path}: ${s.key} has no latency policy, so slow traces are sampled like the rest`,
          evidence: ev,
          fix: `Add { name: keep-slow, type: latency, latency: { threshold_ms: ${wanted} } }.`,
        };
      const thresholds = latency.map((p) => Number(valueAt(p, 'latency', 'threshold_ms')));
      if (Number.isFinite(wanted) && !thresholds.includes(wanted))
        return {
          status: 'fail',
          message: `${s.file.path}: the latency policy keeps traces over ${thresholds.join(', ')} ms, but the chosen threshold is ${wanted} ms`,
          evidence: ev,
          fix: `Set threshold_ms: ${wanted}.`,
        };
      return {
        status: 'pass',
        message: `${s.file.path}: traces slower than ${thresholds[0]} ms are always kept`,
        evidence: ev,
      };
    });
    return combine(ITEM, findings, '');
  },
};
