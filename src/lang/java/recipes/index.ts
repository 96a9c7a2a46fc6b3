import type { Recipe } from '../../../plan/recipe.js';
import { javaAutoInstrumentation } from './auto-instrumentation.js';

/** The Java recipes, in the order their proposals are shown. */
export const javaRecipes: Recipe[] = [javaAutoInstrumentation];
