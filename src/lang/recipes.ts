/** Every language's recipes (src/lang/<language>/recipes/), for the planner. */
import type { Recipe } from '../plan/recipe.js';
import { goRecipes } from './go/recipes/index.js';
import { javaRecipes } from './java/recipes/index.js';
import { nodeRecipes } from './node/recipes/index.js';
import { pythonRecipes } from './python/recipes/index.js';

export const LANGUAGE_RECIPES: readonly Recipe[] = [...nodeRecipes, ...pythonRecipes, ...goRecipes, ...javaRecipes];
