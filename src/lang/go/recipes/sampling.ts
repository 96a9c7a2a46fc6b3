/**
 * Step 5 for Go services: the head-sampling default of the generated set-up, ParentBased(TraceIDRatioBased(ratio)).
 * The ratio is sampling-percent / 100 with head sampling only; with tail sampling in a Collector the services keep
 * every trace (1.0) and the Collector decides. OTEL_TRACES_SAMPLER(_ARG) still override it (the set-up only passes a
 * sampler when OTEL_TRACES_SAMPLER is unset, and the SDK reads the variables itself).
 */
import type { Service } from '../../../types/scan.js';
import { editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import { answer, type PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { samplingRatio, tailSamplingInCollector } from '../../../plan/recipes/exporter.js';
import { hasOtelSetup } from './existing-tracing.js';
import { goSources } from './go-sources.js';

const STEP = 'sampling' as const;
const RATIO_CONST = /^([ \t]*otelDefaultSamplingRatio\s*=\s*)([0-9.eE+-]+)[ \t]*$/m;

/** A Go float literal for the ratio: 1 → 1.0, 0.1 → 0.1. */
export function goFloat(ratio: number): string {
  const text = String(Number(ratio.toFixed(6)));
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

export function headRatio(ctx: PlanContext): number {
  return samplingRatio(ctx);
}

export const goSampling: Recipe = {
  id: 'go-sampling',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'go',
  async plan(ctx: PlanContext, service: Service): Promise<Proposal[]> {
    const head = serviceHeads(STEP, service);
    const ratio = headRatio(ctx);
    const literal = goFloat(ratio);
    const tail = tailSamplingInCollector(ctx);
    const sources = await goSources(ctx, service);
    const setup = sources.find((s) => RATIO_CONST.test(s.text));
    if (setup) {
      const m = RATIO_CONST.exec(setup.text)!;
      if (Number(m[2]) === ratio) return [];
      return [
        editFile(
          head(
            'head-sampling-ratio',
            `Sample ${goFloat(ratio * 100).replace(/\.0$/, '')}% of new traces in ${service.id}`,
            tail
              ? 'With tail sampling the Collector decides: the service must send every trace, or the errors in the dropped share never reach it.'
              : 'ParentBased(TraceIDRatioBased) keeps the chosen share of new traces and follows the caller’s decision, so traces stay whole.',
          ),
          setup.path,
          [{ old: m[0], new: `${m[1]}${literal}` }],
        ),
      ];
    }
    if (!hasOtelSetup(sources)) return [];
    const bare = sources.find((s) => /\bTraceIDRatioBased\(/.test(s.text) && !/\bParentBased\(/.test(s.text));
    return [
      note(
        head(
          'head-sampling-by-hand',
          `Set the head sampler of ${service.id}`,
          'The tracer provider was set up by hand; trace-guide does not rewrite it.',
        ),
        `${bare ? `${bare.path} uses TraceIDRatioBased without ParentBased: a service must follow its caller's decision or traces lose parts. ` : ''}` +
          `Give the tracer provider sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(${literal}))) — only when OTEL_TRACES_SAMPLER is unset, since an option given in code wins over the variable — or run the service with OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=${literal}.`,
      ),
    ];
  },
};
