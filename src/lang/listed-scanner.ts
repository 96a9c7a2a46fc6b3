/**
 * The scanner of a listed language (C#/.NET, Ruby, PHP, Rust, Kotlin, Scala, Elixir): trace-guide finds its services and
 * reads their manifests for a name, the line that shows what the service is, and the declared dependencies (which the
 * language's table turns into framework and tracing findings). It reads no sources and decides no start command: there
 * are no recipes for these languages yet, and the scan says so on the service (`noRecipes`).
 */
import type { Dependency } from '../repo/manifests/dependency.js';
import type { Category, LanguageTable, LibraryRule } from '../repo/detect/types.js';
import type { Evidence, Language } from '../types/scan.js';
import type { LanguageScanner, ServiceFacts } from './language.js';

/** What a listed language reads from one manifest. */
export interface ListedManifest {
  name?: string;
  /** The line that shows what the service is (the project SDK, the package name, the Kotlin plugin …). */
  evidence?: Evidence;
  dependencies: Dependency[];
}

/** Reads one manifest of the service (by kind and repo-relative path); an error string when it cannot be used. */
export type ListedManifestReader = (kind: string, file: string, text: string) => ListedManifest | { error: string };

/** A finding rule matched on declared package names only (listed languages read no sources). */
export function packageRule(name: string, category: Category, packages: readonly string[]): LibraryRule {
  return { name, category, packages };
}

/** The library table of a listed language: manifest package rules, no import, port or entry patterns. */
export function listedTable(language: Language, rules: readonly LibraryRule[]): LanguageTable {
  return { language, importSeparator: '/', rules, ports: [], entryMarkers: [] };
}

/** The first line of a text that matches, as evidence. */
export function lineEvidence(file: string, text: string, pattern: RegExp): Evidence | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : { file, line: index + 1, text: lines[index]!.trim() };
}

/** Every match of a pattern (group 1 = the package name) as a dependency with its line. */
export function dependencyLines(file: string, text: string, pattern: RegExp): Dependency[] {
  const out: Dependency[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(pattern))
      out.push({ name: m[1]!, evidence: { file, line: i + 1, text: line.trim() } });
  });
  return out;
}

export function listedScanner(table: LanguageTable, readManifest: ListedManifestReader): LanguageScanner {
  return {
    support: 'listed',
    table,
    agents: [],
    async readManifests(files): Promise<ServiceFacts> {
      let name: string | undefined;
      let evidence: Evidence | undefined;
      let fallback: Evidence | undefined;
      const dependencies: Dependency[] = [];
      for (const m of files.manifests) {
        const text = await files.read(m.file, true);
        if (text === undefined) continue;
        const read = readManifest(m.kind, m.file, text);
        if ('error' in read) {
          files.problem(m.file, read.error);
          continue;
        }
        name ??= read.name;
        evidence ??= read.evidence;
        fallback ??= { file: m.file, line: 1, text: (text.split('\n')[0] ?? '').trim() };
        dependencies.push(...read.dependencies);
      }
      const shown = evidence ?? fallback ?? { file: files.manifests[0]!.file, line: 0 };
      return {
        ...(name !== undefined && { name }),
        evidence: shown,
        dependencies,
        commandLines: [],
        configPorts: [],
        decide: async () => ({ ports: [] }),
        nameFromCode: async () => undefined,
        serviceFields: () => ({}),
      };
    },
  };
}
