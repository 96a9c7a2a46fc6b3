import type { Recipe } from '../recipe.js';
import { backendRecipes } from './backend/index.js';
import { LANGUAGE_RECIPES } from '../../lang/recipes.js';

/** Every built-in recipe: the backend's (any language) and each language's (src/lang/recipes.ts). */
export const ALL_RECIPES: readonly Recipe[] = [...backendRecipes, ...LANGUAGE_RECIPES];
