/**
 * Step 5 for Node services: parent-based trace-id-ratio head sampling from the sampling-percent answer, written as the
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG defaults of the generated set-up file (the environment still overrides
 * them). With tail sampling in a Collector the services keep everything (parentbased_always_on) and the Collector decides.
 */
import type { Service } from '../../../types/scan.js';
import { answer, type PlanContext } from '../../../plan/context.js';
import { editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { configuredRatio, samplingRatio, tailSamplingInCollector } from '../../../plan/recipes/exporter.js';
import { findSamplerDefaults, renderSamplerDefaults, type SamplerChoice } from './sampler-defaults.js';
import { existingSetup, noGeneratedSetupNote, otherTracers } from './service-files.js';

const STEP = 'sampling' as const;

export function headSamplerChoice(ctx: PlanContext): SamplerChoice {
  if (tailSamplingInCollector(ctx)) return 'always-on';
  const ratio = samplingRatio(ctx);
  return ratio >= 1 ? 'always-on' : { ratio };
}

function describe(choice: SamplerChoice): string {
  return choice === 'always-on' ? 'parentbased_always_on' : `parentbased_traceidratio at ${choice.ratio}`;
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (otherTracers(service).length > 0) return [];
  const head = serviceHeads(STEP, service);
  const choice = headSamplerChoice(ctx);
  const tailNote = tailSamplingInCollector(ctx) && configuredRatio(ctx) < 1;
  const generated = await existingSetup(ctx, service);
  if (!generated) {
    const text = await noGeneratedSetupNote(
      ctx,
      service,
      'sampling',
      choice === 'always-on'
        ? "Set OTEL_TRACES_SAMPLER=parentbased_always_on in its environment (or sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() })); the Collector's tail sampling keeps errors and the chosen share."
        : `Set OTEL_TRACES_SAMPLER=parentbased_traceidratio and OTEL_TRACES_SAMPLER_ARG=${choice.ratio} in its environment (or sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(${choice.ratio}) }) in the NodeSDK options).`,
    );
    return [
      note(
        head(
          'head-sampling',
          `Head sampling for ${service.name}: ${describe(choice)}`,
          'A parent-based sampler keeps or drops whole traces.',
        ),
        text,
      ),
    ];
  }
  const current = findSamplerDefaults(generated.text);
  const wanted = await renderSamplerDefaults(ctx, choice);
  const out: Proposal[] = [];
  if (!current) {
    out.push(
      note(
        head(
          'head-sampling',
          `Head sampling for ${service.name}: ${describe(choice)}`,
          'A parent-based sampler keeps or drops whole traces.',
        ),
        `The sampler defaults in ${generated.file.path} were changed by hand, so they are not edited. Wanted:\n${wanted}`,
      ),
    );
  } else if (current !== wanted) {
    out.push(
      editFile(
        head(
          'head-sampling',
          `Sample ${service.name} with ${describe(choice)}`,
          choice === 'always-on'
            ? "The Collector's tail sampler needs every span to decide on whole traces."
            : "Keeps the chosen share of traces, following the caller's decision so traces stay whole.",
        ),
        generated.file.path,
        [{ old: current, new: wanted }],
      ),
    );
  }
  if (tailNote && out.length > 0) {
    out.push(
      note(
        head(
          'tail-sampling-ratio',
          `${service.name} sends every trace to the Collector`,
          'Tail sampling must see whole traces to keep errors and slow ones.',
        ),
        `With tail sampling chosen, ${service.name} keeps parentbased_always_on; the ${Math.round(configuredRatio(ctx) * 100)}% share of ordinary traces is applied by the Collector's probabilistic policy. Override per environment with OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG.`,
      ),
    );
  }
  return out;
}

export const nodeSampling: Recipe = {
  id: 'node-sampling',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'node',
  plan: planService,
};
