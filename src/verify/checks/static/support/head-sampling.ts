/** Services whose SDK head sampler drops part of the traces (a ratio below 1), which a tail sampler can never see again. */
import type { CheckContext } from '../../../check.js';
import { serviceSamplers } from '../pitfall-sampler-ignores-parent.js';
import { checkedServices } from '../../../../source-reading/repo-files.js';
import type { Finding } from './result.js';

export async function headDropFindings(ctx: CheckContext, why: string): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const service of checkedServices(ctx)) {
    const samplers = await serviceSamplers(ctx, service);
    const first = samplers[0];
    if (!first) continue;
    const kept = first.kind === 'always_on' ? 1 : first.kind === 'always_off' ? 0 : (first.ratio ?? 1);
    if (kept < 1) {
      out.push({
        status: 'fail',
        message: `${service.name}: ${first.source}${first.ratio !== undefined ? ` (${first.ratio})` : ''} drops ${Math.round((1 - kept) * 100)}% of traces before the Collector, ${why}`,
        evidence: [first.evidence],
        fix: 'Set OTEL_TRACES_SAMPLER=parentbased_always_on in the services; the Collector applies the percentage.',
      });
    }
  }
  return out;
}
