/**
 * Service boundaries, from the file list alone (nothing is read here).
 *
 * The rule, kept simple and predictable:
 * 1. A folder is a *candidate* for a language when it holds a manifest of that language: package.json (Node); go.mod
 *    (Go); pyproject.toml, requirements*.txt (also requirements/ *.txt, counted for the folder above), Pipfile, setup.py
 *    (Python); pom.xml, build.gradle(.kts) (Java, or Kotlin: see below); *.csproj / *.fsproj (.NET); Gemfile (Ruby);
 *    composer.json (PHP); Cargo.toml (Rust); build.sbt (Scala); mix.exs (Elixir). A manage.py makes a Python candidate only when no folder above or
 *    beside it already is one (it belongs to that project otherwise). Nested manifests make their own candidates.
 * 2. Every source file belongs to the deepest candidate of its language above it.
 * 3. A candidate with no source file of its own is not a service: that drops workspace roots, Maven/Gradle aggregators
 *    and tooling-only package.json files, wherever they are. A Node candidate whose package.json has neither
 *    dependencies nor scripts is dropped too (decided in scan.ts once the file is read).
 * 4. Kotlin has no build file of its own: a Maven/Gradle candidate owns both .java and .kt files, and is Kotlin when it
 *    has more Kotlin sources than Java ones.
 * Libraries (code but no framework and no entrypoint) stay services: they are part of the repo the user sees.
 */
import type { Language } from '../types/scan.js';
import { languageOfFile } from './source-files.js';
import { baseName, dirOf } from './text.js';

export type ManifestKind =
  | 'package.json'
  | 'go.mod'
  | 'pyproject.toml'
  | 'requirements.txt'
  | 'Pipfile'
  | 'setup.py'
  | 'manage.py'
  | 'pom.xml'
  | 'build.gradle'
  | '*.csproj'
  | 'Gemfile'
  | 'composer.json'
  | 'Cargo.toml'
  | 'build.sbt'
  | 'mix.exs';

export interface ManifestFile {
  kind: ManifestKind;
  /** Repo-relative path. */
  file: string;
}

export interface Candidate {
  /** Repo-relative folder, '.' for the root. */
  root: string;
  language: Language;
  manifests: ManifestFile[];
  /** Source files of the language owned by this candidate (repo-relative, sorted). */
  sources: string[];
}

const MANIFEST_LANGUAGE: Record<ManifestKind, Language> = {
  'package.json': 'node',
  'go.mod': 'go',
  'pyproject.toml': 'python',
  'requirements.txt': 'python',
  Pipfile: 'python',
  'setup.py': 'python',
  'manage.py': 'python',
  'pom.xml': 'java',
  'build.gradle': 'java',
  '*.csproj': 'dotnet',
  Gemfile: 'ruby',
  'composer.json': 'php',
  'Cargo.toml': 'rust',
  'build.sbt': 'scala',
  'mix.exs': 'elixir',
};

/** Source languages whose files belong to a candidate of another language: Kotlin sources to the Maven/Gradle build. */
const OWNED_BY: Partial<Record<Language, Language>> = { kotlin: 'java' };

/** Preferred manifest to name a service by, per language (first present wins). */
export const MANIFEST_PREFERENCE: readonly ManifestKind[] = [
  'package.json',
  'go.mod',
  'pyproject.toml',
  'setup.py',
  'Pipfile',
  'requirements.txt',
  'manage.py',
  'pom.xml',
  'build.gradle',
  '*.csproj',
  'Gemfile',
  'composer.json',
  'Cargo.toml',
  'build.sbt',
  'mix.exs',
];

const REQUIREMENTS = /^requirements(?:[-_.][\w.-]*)?\.(?:txt|in)$/;

/** The manifest kind of a file and the service folder it speaks for. */
export function manifestOf(rel: string): { kind: ManifestKind; root: string } | undefined {
  const name = baseName(rel);
  const dir = dirOf(rel);
  switch (name) {
    case 'package.json':
    case 'go.mod':
    case 'pyproject.toml':
    case 'Pipfile':
    case 'setup.py':
    case 'manage.py':
    case 'pom.xml':
    case 'Gemfile':
    case 'composer.json':
    case 'Cargo.toml':
    case 'build.sbt':
    case 'mix.exs':
      return { kind: name, root: dir };
    case 'build.gradle':
    case 'build.gradle.kts':
      return { kind: 'build.gradle', root: dir };
  }
  if (/\.(?:cs|fs)proj$/.test(name)) return { kind: '*.csproj', root: dir };
  if (REQUIREMENTS.test(name)) return { kind: 'requirements.txt', root: dir };
  if (name.endsWith('.txt') && baseName(dir) === 'requirements' && dir !== '.') {
    return { kind: 'requirements.txt', root: dirOf(dir) };
  }
  return undefined;
}

function isUnder(dir: string, root: string): boolean {
  return root === '.' || dir === root || dir.startsWith(root + '/');
}

/** Finds candidates and gives each its source files. Candidates without sources are dropped (rule 3). */
export function discoverCandidates(files: readonly string[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const managePy: ManifestFile[] = [];
  for (const file of files) {
    const m = manifestOf(file);
    if (!m) continue;
    if (m.kind === 'manage.py') {
      managePy.push({ kind: m.kind, file });
      continue;
    }
    const language = MANIFEST_LANGUAGE[m.kind];
    const key = `${language}\0${m.root}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { root: m.root, language, manifests: [], sources: [] }));
    c.manifests.push({ kind: m.kind, file });
  }
  const pythonRoots = [...byKey.values()].filter((c) => c.language === 'python').map((c) => c.root);
  for (const mf of managePy) {
    const dir = dirOf(mf.file);
    const owner = pythonRoots.filter((r) => isUnder(dir, r)).sort((a, b) => b.length - a.length)[0];
    if (owner !== undefined) {
      byKey.get(`python\0${owner}`)!.manifests.push(mf);
    } else {
      byKey.set(`python\0${dir}`, { root: dir, language: 'python', manifests: [mf], sources: [] });
      pythonRoots.push(dir);
    }
  }

  // Rule 2: deepest candidate of the file's language above it; memoized per folder.
  const ownerCache = new Map<string, Candidate | null>();
  const ownerOf = (language: Language, dir: string): Candidate | null => {
    const key = `${language}\0${dir}`;
    const cached = ownerCache.get(key);
    if (cached !== undefined) return cached;
    const here = byKey.get(key);
    const found = here ?? (dir === '.' ? null : ownerOf(language, dirOf(dir)));
    ownerCache.set(key, found);
    return found;
  };
  const kotlinCount = new Map<Candidate, number>();
  for (const file of files) {
    const language = languageOfFile(file);
    if (!language) continue;
    const owner = ownerOf(OWNED_BY[language] ?? language, dirOf(file));
    if (!owner) continue;
    owner.sources.push(file);
    if (language === 'kotlin') kotlinCount.set(owner, (kotlinCount.get(owner) ?? 0) + 1);
  }
  // Rule 4: a JVM build with more Kotlin sources than Java ones is a Kotlin service.
  for (const [cand, kotlin] of kotlinCount) if (kotlin * 2 > cand.sources.length) cand.language = 'kotlin';
  return [...byKey.values()]
    .filter((c) => c.sources.length > 0)
    .sort((a, b) => (a.root === b.root ? a.language.localeCompare(b.language) : a.root < b.root ? -1 : 1));
}
