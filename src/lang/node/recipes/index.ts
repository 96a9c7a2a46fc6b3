import type { Recipe } from '../../../plan/recipe.js';
import { nodeAutoInstrumentation } from './auto-instrumentation.js';
import { nodeManualSpans } from './manual-spans.js';
import { nodePropagation } from './propagation.js';
import { nodeSampling } from './sampling.js';
import { nodeCorrelation } from './correlation.js';

/** The node recipes, in the order their proposals are shown. */
export const nodeRecipes: Recipe[] = [
  nodeAutoInstrumentation,
  nodeManualSpans,
  nodePropagation,
  nodeSampling,
  nodeCorrelation,
];
