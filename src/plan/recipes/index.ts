import type { Recipe } from '../recipe.js';
import { backendRecipes } from './backend/index.js';
import { nodeRecipes } from './node/index.js';
import { pythonRecipes } from './python/index.js';
import { goRecipes } from './go/index.js';

/** Every built-in recipe. Adding a stack is adding a folder of recipes and listing it here. */
export const ALL_RECIPES: readonly Recipe[] = [...backendRecipes, ...nodeRecipes, ...pythonRecipes, ...goRecipes];
