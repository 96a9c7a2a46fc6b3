import type { Recipe } from '../../recipe.js';

/** The backend recipes, in the order their proposals are shown. */
export const backendRecipes: Recipe[] = [];
