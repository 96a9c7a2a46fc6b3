import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ArchitectureRules, checkImports, importsOf } from './check-imports.js';
import { ARCHITECTURE_RULES } from './rules.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Every .ts/.tsx under src/ except tests and declaration files, keyed by its path relative to src/. */
function sourceFiles(dir: string): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name) || entry.name.endsWith('.d.ts')) return [];
    return [[relative(SRC, path).split(sep).join('/'), readFileSync(path, 'utf8')]];
  });
}

describe('import boundaries of src/', () => {
  it('hold for the source as it is (rules and known exceptions: src/architecture/rules.ts)', () => {
    const files = new Map(sourceFiles(SRC));
    expect(files.size).toBeGreaterThan(100);
    const violations = checkImports(files, ARCHITECTURE_RULES);
    expect(violations.map((violation) => violation.message).join('\n\n')).toBe('');
  });
});

describe('the import checker', () => {
  const rules: ArchitectureRules = {
    forbidden: [
      {
        name: 'core-never-imports-ui-or-cli',
        from: { allExcept: ['ui', 'cli'] },
        folders: ['ui', 'cli'],
        reason: 'core rule',
      },
      { name: 'ui-does-no-file-or-process-io', from: ['ui'], modules: ['node:fs'], reason: 'ui rule' },
    ],
    knownCycleEdges: [],
  };

  it('reads imports, export-from, dynamic import() and import types, and tells type-only ones apart', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "import { type C, type D } from '../c/c.js';",
      "export { e } from '../e/e.js';",
      "export type { F } from '../f/f.js';",
      "const g = await import('../g/g.js');",
      "let h: import('../h/h.js').H;",
      "// import { x } from '../x/x.js';",
      'const s = "import { y } from \'../y/y.js\'";',
    ].join('\n');
    expect(importsOf('core/file.ts', text).map(({ specifier, typeOnly, line }) => [specifier, typeOnly, line])).toEqual(
      [
        ['./a.js', false, 1],
        ['../b/b.js', true, 2],
        ['../c/c.js', true, 3],
        ['../e/e.js', false, 4],
        ['../f/f.js', true, 5],
        ['../g/g.js', false, 6],
        ['../h/h.js', true, 7],
      ],
    );
  });

  it('names file, line and rule when the core imports the ui, or the ui imports node:fs', () => {
    const files = new Map([
      ['verify/check.ts', "import { x } from './x.js';\nimport { Frame } from '../ui/frame.js';\n"],
      ['ui/frame.tsx', "import { readFileSync } from 'node:fs';\n"],
      ['cli/main.ts', "import { Frame } from '../ui/frame.js';\n"],
    ]);
    expect(checkImports(files, rules).map((violation) => violation.message)).toEqual([
      "src/verify/check.ts:2: imports '../ui/frame.js' — rule 'core-never-imports-ui-or-cli': core rule",
      "src/ui/frame.tsx:1: imports 'node:fs' — rule 'ui-does-no-file-or-process-io': ui rule",
    ]);
  });

  it('fails on a new cycle between folders, type-only ones included, and passes once it is listed', () => {
    const files = new Map([
      ['plan/a.ts', "import { b } from '../edit/b.js';\n"],
      ['edit/b.ts', "import type { A } from '../plan/a.js';\nexport const b = 1;\n"],
    ]);
    const messages = checkImports(files, rules).map((violation) => violation.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain(
      "src/edit/b.ts:1: imports '../plan/a.js' (type only) — rule 'no-folder-cycles': edit/ → plan/",
    );
    expect(messages[1]).toContain("src/plan/a.ts:1: imports '../edit/b.js' — rule 'no-folder-cycles': plan/ → edit/");
    const listed: ArchitectureRules = {
      ...rules,
      knownCycleEdges: [
        { from: 'edit', to: 'plan', kind: 'type-only', reason: 'r' },
        { from: 'plan', to: 'edit', kind: 'value', reason: 'r' },
      ],
    };
    expect(checkImports(files, listed)).toEqual([]);
  });

  it('fails when a listed exception no longer exists, so the lists can only shrink', () => {
    const files = new Map([
      ['plan/a.ts', "import { b } from '../edit/b.js';\n"],
      ['edit/b.ts', 'export const b = 1;\n'],
    ]);
    const stale: ArchitectureRules = {
      ...rules,
      knownCycleEdges: [{ from: 'plan', to: 'edit', kind: 'value', reason: 'r' }],
    };
    expect(checkImports(files, stale).map((violation) => violation.message)).toEqual([
      'known cycle edge plan → edit (value) no longer closes a cycle: remove it from knownCycleEdges',
    ]);
  });

  it('counts a type-only edge that becomes a value import as a new violation', () => {
    const files = new Map([
      ['plan/a.ts', "import { b } from '../edit/b.js';\n"],
      ['edit/b.ts', "import { A } from '../plan/a.js';\nexport const b = 1;\n"],
    ]);
    const typeOnlyListed: ArchitectureRules = {
      ...rules,
      knownCycleEdges: [
        { from: 'edit', to: 'plan', kind: 'type-only', reason: 'r' },
        { from: 'plan', to: 'edit', kind: 'value', reason: 'r' },
      ],
    };
    const messages = checkImports(files, typeOnlyListed).map((violation) => violation.message);
    expect(messages[0]).toContain("src/edit/b.ts:1: imports '../plan/a.js' — rule 'no-folder-cycles'");
  });

  it('fails when one language folder imports another, and not for imports inside one language or of the core', () => {
    const isolated: ArchitectureRules = {
      forbidden: [],
      isolated: [{ name: 'languages-apart', folder: 'lang', reason: 'each language stands alone' }],
      knownCycleEdges: [],
    };
    const files = new Map([
      [
        'lang/go/manifest.ts',
        "import type { Dependency } from '../node/manifest.js';\nimport { joinRel } from '../../repo/text.js';\nimport { decideGo } from './detect.js';",
      ],
      [
        'lang/go/recipes/index.ts',
        "import { parseGoMod } from '../manifest.js';\nimport { ALL } from '../../recipes.js';",
      ],
      ['lang/python/recipes/versions.ts', "export { x } from '../../go/recipes/index.js';"],
      ['lang/scanners.ts', "import { goScanner } from './go/scan.js';\nimport { nodeScanner } from './node/scan.js';"],
    ]);
    const messages = checkImports(files, isolated).map((violation) => violation.message);
    expect(messages).toEqual([
      "src/lang/go/manifest.ts:1: imports '../node/manifest.js' — rule 'languages-apart': lang/go/ imports lang/node/; each language stands alone",
      "src/lang/python/recipes/versions.ts:1: imports '../../go/recipes/index.js' — rule 'languages-apart': lang/python/ imports lang/go/; each language stands alone",
    ]);
  });
});
