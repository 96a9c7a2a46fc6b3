import type { Recipe } from '../../recipe.js';

/** The node recipes, in the order their proposals are shown. */
export const nodeRecipes: Recipe[] = [];
