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
      reason: 'the Ink front end reads files and runs processes only through the core (repo/, edit/, verify/, session/)',
    },
  ],
  knownCycleEdges: [
    // value: the import is loaded at run time
    { from: 'edit', to: 'safety', kind: 'value', reason: 'apply checks every proposal against the proposal policy before writing' },
    { from: 'edit', to: 'session', kind: 'value', reason: 'backups, the journal and safe paths live under the session folder' },
    { from: 'plan', to: 'edit', kind: 'value', reason: 'recipes build compose/YAML edits with the edit helpers and safe paths' },
    { from: 'plan', to: 'safety', kind: 'value', reason: "the model's propose tool validates commands with the command policy" },
    { from: 'session', to: 'plan', kind: 'value', reason: 'the stored session schema embeds the proposal schema from plan/' },
    { from: 'session', to: 'safety', kind: 'value', reason: 'loading a stored session re-validates its proposals' },
    { from: 'session', to: 'verify', kind: 'value', reason: 'the session schema and reducer embed check results from verify/' },
    { from: 'verify', to: 'edit', kind: 'value', reason: 'backend checks read compose and YAML files with the edit helpers' },
    { from: 'verify', to: 'plan', kind: 'value', reason: 'checks compare files with the paths and settings the recipes write' },
    { from: 'verify', to: 'safety', kind: 'value', reason: 'runtime set-up commands are split with the policy\'s command words' },
    // type-only: erased at build time, but still a knot the shared-types module of issue 16 should untie
    { from: 'edit', to: 'plan', kind: 'type-only', reason: 'the edit engine takes the Proposal type defined in plan/' },
    { from: 'plan', to: 'session', kind: 'type-only', reason: 'the planning context reads the stored session type' },
    { from: 'safety', to: 'plan', kind: 'type-only', reason: 'the proposal policy and shown digest take the Proposal type' },
    { from: 'safety', to: 'session', kind: 'type-only', reason: 'stored-session validation takes the stored session type' },
    { from: 'verify', to: 'session', kind: 'type-only', reason: 'a check receives the stored session type as its context' },
  ],
};
