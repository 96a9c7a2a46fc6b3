import type { Recipe } from '../../../plan/recipe.js';
import { pythonAutoInstrumentation } from './auto-instrumentation.js';
import { pythonCorrelation } from './correlation.js';
import { pythonManualSpans } from './manual-spans.js';
import { pythonPropagation } from './propagation.js';
import { pythonSampling } from './sampling.js';

/** The python recipes, in the order their proposals are shown. */
export const pythonRecipes: Recipe[] = [
  pythonAutoInstrumentation,
  pythonManualSpans,
  pythonPropagation,
  pythonSampling,
  pythonCorrelation,
];
