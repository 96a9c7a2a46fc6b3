/**
 * Step 5 for Python services: the head sampler defaults in otel_setup.py. parentbased_traceidratio keeps the chosen
 * share of new traces and follows the caller's decision for the rest; when a Collector tail-samples, the services send
 * every span (parentbased_always_on) and the Collector keeps errors, slow traces and the chosen share — a head ratio in
 * front of it would drop error traces before the tail sampler could see them. OTEL_TRACES_SAMPLER(_ARG) still override.
 */
import type { Service } from '../../../types/scan.js';
import { editFile, note } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { configuredRatio, samplingRatio, tailSamplingInCollector } from '../../../plan/recipes/exporter.js';
import { foreignTracing, hasOpenTelemetry, isPythonWebService, setupModulePath } from './service-facts.js';

const STEP = 'sampling' as const;
const SAMPLER_LINES =
  /^os\.environ\.setdefault\("OTEL_TRACES_SAMPLER", "[^"\n]*"\)\n(?:os\.environ\.setdefault\("OTEL_TRACES_SAMPLER_ARG", "[^"\n]*"\)\n)?/m;

export function samplerChoice(ctx: PlanContext): { sampler: string; ratio: string; why: string } {
  if (tailSamplingInCollector(ctx)) {
    const ratio = String(configuredRatio(ctx));
    return {
      sampler: 'parentbased_always_on',
      ratio: '',
      why: `The Collector tail-samples (keeping errors, slow traces and ${ratio} of the rest), so the service sends every trace.`,
    };
  }
  const ratio = String(samplingRatio(ctx));
  return {
    sampler: 'parentbased_traceidratio',
    ratio,
    why: `Keeps ${ratio} of new traces and follows the caller's decision for the rest, so traces stay whole.`,
  };
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (foreignTracing(service).length > 0) return [];
  const choice = samplerChoice(ctx);
  const setupPath = setupModulePath(service);
  const text = await ctx.repo.read(setupPath);
  const head = {
    id: `${service.id}:head-sampler`,
    step: STEP,
    service: service.id,
    title: `Sample with ${choice.sampler}${choice.ratio ? ` (${choice.ratio})` : ''}`,
    why: choice.why,
  };
  const env = `OTEL_TRACES_SAMPLER=${choice.sampler}${choice.ratio ? ` OTEL_TRACES_SAMPLER_ARG=${choice.ratio}` : ''}`;
  const current = text === undefined ? null : SAMPLER_LINES.exec(text);
  if (text === undefined || !current) {
    if (!(await hasOpenTelemetry(ctx, service))) return [];
    if (text === undefined && /\bOTEL_TRACES_SAMPLER=/.test(service.start?.command ?? '')) return [];
    return [
      note(
        head,
        `Set ${env} in the environment ${service.name} runs with (its OpenTelemetry set-up is not trace-guide's otel_setup.py).`,
      ),
    ];
  }
  const wanted = await ctx.templates.render('python/sampler-defaults.py', {
    sampler: choice.sampler,
    ratio: choice.ratio,
  });
  if (current[0] === wanted) return [];
  return [editFile(head, setupPath, [{ old: current[0], new: wanted }])];
}

export const pythonSampling: Recipe = {
  id: 'python-sampling',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => isPythonWebService(service),
  plan: planService,
};
