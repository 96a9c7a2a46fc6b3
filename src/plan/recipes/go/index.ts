import type { Recipe } from '../../recipe.js';
import { goAutoInstrumentation } from './auto-instrumentation.js';
import { goLogCorrelation } from './log-correlation.js';
import { goSampling } from './sampling.js';

/** The go recipes, in the order their proposals are shown. */
export const goRecipes: Recipe[] = [goAutoInstrumentation, goSampling, goLogCorrelation];
