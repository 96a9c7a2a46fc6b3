import type { Recipe } from '../../recipe.js';

/** The go recipes, in the order their proposals are shown. */
export const goRecipes: Recipe[] = [];
