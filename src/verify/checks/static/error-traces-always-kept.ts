/**
 * error-traces-always-kept: the tail_sampling policies keep status_code ERROR (policies are OR-ed, so one such policy
 * keeps every failing trace), and no SDK drops traces at the head before the Collector can see their errors.
 */
import type { Check } from '../../check.js';
import { combine, type Finding } from './support/result.js';
import { allTailSamplers } from '../../../source-reading/collector.js';
import { headDropFindings } from './support/head-sampling.js';
import { asArray, valueAt, yamlEvidence } from '../../../source-reading/yaml-files.js';

const ITEM = 'error-traces-always-kept';

export const errorTracesAlwaysKept: Check = {
  itemId: ITEM,
  async run(ctx) {
    const samplers = (await allTailSamplers(ctx)).filter((s) => s.pipelines.length > 0);
    if (samplers.length === 0)
      return combine(
        ITEM,
        [
          {
            status: 'fail',
            message: 'no tail_sampling processor in a Collector traces pipeline, so nothing keeps error traces',
            evidence: [],
            fix: 'Add a Collector with tail_sampling and a status_code policy (status_codes: [ERROR]).',
          },
        ],
        '',
      );
    const findings: Finding[] = [];
    for (const s of samplers) {
      const keeps = s.policies.some(
        (p) =>
          p.type === 'status_code' &&
          asArray(valueAt(p, 'status_code', 'status_codes'))
            .map(String)
            .includes('ERROR'),
      );
      findings.push(
        keeps
          ? {
              status: 'pass',
              message: `${s.file.path}: ${s.key} keeps every trace with status ERROR`,
              evidence: [yamlEvidence(s.file, ['processors', s.key, 'policies'])],
            }
          : {
              status: 'fail',
              message: `${s.file.path}: ${s.key} has no status_code policy for ERROR, so error traces are sampled like the rest`,
              evidence: [yamlEvidence(s.file, ['processors', s.key, 'policies'])],
              fix: 'Add a policy: { name: keep-errors, type: status_code, status_code: { status_codes: [ERROR] } }.',
            },
      );
    }
    findings.push(...(await headDropFindings(ctx, 'so some error traces never reach it')));
    return combine(ITEM, findings, '');
  },
};
