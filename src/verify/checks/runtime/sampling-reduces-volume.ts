/**
 * sampling-reduces-volume: a burst of requests without trace context (so each service's sampler makes the root
 * decision) to one healthy route; the share of traces that reached the receiver must lie in the 99% binomial interval
 * of the configured percentage.
 */
import type { Check } from '../../check.js';
import { answerOf as answerOfInput } from '../../../skill/lookup.js';
import { binomialInterval } from '../../runtime/binomial.js';
import { result, runFor, withDownServices } from './probe-analysis.js';

const ITEM = 'sampling-reduces-volume';
export const BURST_REQUESTS = 200;

function percent(value: number): string {
  return `${(value * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export const samplingReducesVolume: Check = {
  itemId: ITEM,
  async run(ctx) {
    const rawPercent = Number(answerOfInput(ctx.skill, 'sampling-percent', ctx.inputs));
    const ratio = Number.isFinite(rawPercent) ? Math.min(100, Math.max(0, rawPercent)) / 100 : 0.1;
    const tail = answerOfInput(ctx.skill, 'tail-sampling', ctx.inputs);
    const backend = answerOfInput(ctx.skill, 'backend', ctx.inputs);
    if ((tail === 'errors' || tail === 'errors-and-slow') && backend !== 'local') {
      return result(
        ITEM,
        'skipped',
        `with tail sampling the Collector applies the ${percent(ratio)} share and the services keep every trace; the built-in receiver stands where the Collector would, so the share cannot be measured here`,
        [],
        'Measure it at the backend after traffic through the Collector, or check the probabilistic policy in the collector configuration (tail-sampling-in-collector).',
      );
    }
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const burst = await run.burst(BURST_REQUESTS);
    if (burst.problem || burst.requests === 0)
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', `the sampling burst could not be measured: ${burst.problem ?? 'no requests sent'}`),
      );
    const n = burst.answered;
    const { low, high } = binomialInterval(n, ratio, 0.99);
    const share = n === 0 ? 0 : burst.kept / n;
    const summary = `kept ${burst.kept} of ${n} traces (${percent(share)}) for GET ${burst.url}; target ${percent(ratio)}, 99% binomial interval ${low}–${high} (${percent(low / Math.max(n, 1))}–${percent(high / Math.max(n, 1))})`;
    const evidence = [
      {
        note: `burst of ${burst.requests} requests without trace context to ${burst.serviceName ?? burst.serviceId}; ${burst.answered} answered; root traces counted from service.name=${burst.serviceName ?? '?'}`,
      },
    ];
    if (burst.kept < low || burst.kept > high) {
      return result(
        ITEM,
        'fail',
        summary,
        evidence,
        burst.kept > high
          ? `More traces were kept than ${percent(ratio)}: give every service ParentBased(TraceIdRatioBased(${ratio})) (OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=${ratio}) and make sure nothing overrides it.`
          : `Fewer traces were kept than ${percent(ratio)}: check the sampler argument (a fraction 0..1, not a percentage) and that spans are not dropped on the way.`,
      );
    }
    return withDownServices(ITEM, run, result(ITEM, 'pass', summary, evidence));
  },
};
