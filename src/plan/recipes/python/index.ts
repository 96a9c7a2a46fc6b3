import type { Recipe } from '../../recipe.js';

/** The python recipes, in the order their proposals are shown. */
export const pythonRecipes: Recipe[] = [];
