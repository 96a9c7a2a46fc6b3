import { answer } from '../../context.js';
import { note } from '../../proposal-builders.js';
import type { Recipe } from '../../recipe.js';
import { configuredRatio } from '../exporter.js';

/**
 * Step 5 with the built-in receiver and no tail sampling (its default there): the services sample at the head with a
 * parent-based ratio (the language recipes' edits), and this note says what that does not do — keep every error trace —
 * and what would: a Collector that tail-samples. Nothing to apply; the step's checks prove the head sampler.
 */
export const localHeadSamplingNote: Recipe = {
  id: 'local-head-sampling-note',
  step: 'sampling',
  scope: 'repo',
  appliesTo: (ctx) => answer(ctx, 'backend') === 'local' && answer(ctx, 'tail-sampling') === 'none',
  async plan(ctx) {
    const percent = Math.round(configuredRatio(ctx) * 1000) / 10;
    return [
      note(
        {
          id: 'local-head-sampling',
          step: 'sampling',
          title: 'Head sampling only: the built-in receiver does not tail-sample',
          why: 'Keeping every error trace needs a tail sampler, which runs in an OpenTelemetry Collector.',
          after: [],
        },
        `The services keep ${percent}% of new traces, decided when each trace starts (parent-based, so a trace is kept or dropped whole). ` +
          'Errors are kept at the same rate: the head sampler decides before it can see an error. To keep every error (and slow) ' +
          'trace, run an OpenTelemetry Collector (contrib) with tail sampling and answer tail-sampling=errors (or errors-and-slow); ' +
          'trace-guide then plans its config and samples 100% in the services.',
      ),
    ];
  },
};
