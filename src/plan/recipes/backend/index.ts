import type { Recipe } from '../../recipe.js';
import { backendStackRecipe } from './backend-stack.js';
import { tailSamplingRecipe } from './tail-sampling.js';
import { correlationRecipe } from './correlation.js';
import { localHeadSamplingNote } from './local-head-sampling-note.js';

/** The backend recipes, in the order their proposals are shown. */
export const backendRecipes: Recipe[] = [
  backendStackRecipe,
  tailSamplingRecipe,
  localHeadSamplingNote,
  correlationRecipe,
];
