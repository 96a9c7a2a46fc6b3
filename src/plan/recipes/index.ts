import type { Recipe } from '../recipe.js';
import { backendRecipes } from './backend/index.js';
import { nodeRecipes } from '../../lang/node/recipes/index.js';
import { pythonRecipes } from '../../lang/python/recipes/index.js';
import { goRecipes } from '../../lang/go/recipes/index.js';

/** Every built-in recipe. Adding a stack is adding a folder of recipes and listing it here. */
export const ALL_RECIPES: readonly Recipe[] = [...backendRecipes, ...nodeRecipes, ...pythonRecipes, ...goRecipes];
