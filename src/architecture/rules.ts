import type { ArchitectureRules } from './check-imports.js';

/**
 * The import rules between the folders directly under src/, checked by src/architecture/imports.test.ts (part of the unit
 * tests, so of `npm test`). Exceptions are listed one by one with the reason they exist; the test fails when an
 * exception no longer exists, so these lists can only shrink.
 */
export const ARCHITECTURE_RULES: ArchitectureRules = {
  forbidden: [
    {
      name: 'core-never-imports-ui-or-cli',
      from: { allExcept: ['ui', 'cli'] },
      folders: ['ui', 'cli'],
      reason: 'the core (every folder but ui/ and cli/) is driven by the two front ends and never depends on them',
    },
    {
      name: 'ui-does-no-file-or-process-io',
      from: ['ui'],
      modules: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'],
      reason:
        'the Ink front end reads files and runs processes only through the core (repo/, edit/, verify/, session/)',
    },
  ],
  isolated: [
    {
      name: 'languages-do-not-import-each-other',
      folder: 'lang',
      reason:
        'a language folder stands alone (what two languages share lives in the core), so adding or changing one never touches another',
    },
  ],
  knownCycleEdges: [
    // value: the import is loaded at run time
    { from: 'session', to: 'safety', kind: 'value', reason: 'loading a stored session re-validates its proposals' },
    // A language (src/lang/<x>/) plugs into three core folders through registries the core imports (lang/scanners.ts,
    // lang/recipes.ts, lang/context-linters.ts), and builds on that folder's helpers; each pair below is one plug-in point.
    {
      from: 'repo',
      to: 'lang:scan',
      kind: 'value',
      reason: "the scan reads manifests and decides start commands through each language's scanner",
    },
    {
      from: 'lang:scan',
      to: 'repo',
      kind: 'value',
      reason: "a language scanner builds on the scan's evidence, matcher and deploy-file readers",
    },
    { from: 'plan', to: 'lang:recipes', kind: 'value', reason: "the planner lists every language's recipes" },
    {
      from: 'lang:recipes',
      to: 'plan',
      kind: 'value',
      reason: "a language's recipes are Recipes that build proposals with the plan helpers",
    },
    {
      from: 'doctor',
      to: 'lang:doctor',
      kind: 'value',
      reason: "the doctor's causes use each language's package knowledge and context-dropped lint",
    },
    {
      from: 'lang:doctor',
      to: 'doctor',
      kind: 'value',
      reason: "a language's doctor part builds drop sites and proposals with the doctor helpers",
    },
    // type-only: erased at build time
    {
      from: 'safety',
      to: 'session',
      kind: 'type-only',
      reason: 'stored-session validation takes the stored session type',
    },
  ],
};
