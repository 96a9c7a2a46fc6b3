import type { Recipe } from '../../../plan/recipe.js';
import { goAutoInstrumentation } from './auto-instrumentation.js';
import { goLogCorrelation } from './log-correlation.js';
import { goManualSpans } from './manual-spans.js';
import { goPropagation } from './propagation.js';
import { goSampling } from './sampling.js';

/** The go recipes, in the order their proposals are shown. */
export const goRecipes: Recipe[] = [goAutoInstrumentation, goManualSpans, goPropagation, goSampling, goLogCorrelation];
