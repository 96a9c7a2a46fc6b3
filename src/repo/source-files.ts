/**
 * Which files are source code of a language, and which of them the scan reads. Tests, fixtures, docs, examples,
 * migrations, type declarations and minified bundles are not read: they do not tell how the service runs.
 */
import type { Language } from '../types/scan.js';

const EXTENSIONS: Record<Language, readonly string[]> = {
  node: ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'],
  python: ['.py'],
  go: ['.go'],
  java: ['.java'],
  // Kotlin sources belong to the Maven/Gradle build above them (services.ts rule 4).
  kotlin: ['.kt'],
  dotnet: ['.cs', '.fs'],
  ruby: ['.rb'],
  php: ['.php'],
  rust: ['.rs'],
  scala: ['.scala'],
  elixir: ['.ex'],
};

const BY_EXTENSION = new Map<string, Language>();
for (const [language, exts] of Object.entries(EXTENSIONS) as Array<[Language, readonly string[]]>) {
  for (const ext of exts) BY_EXTENSION.set(ext, language);
}

export function languageOfFile(rel: string): Language | undefined {
  const dot = rel.lastIndexOf('.');
  if (dot < 0 || dot < rel.lastIndexOf('/')) return undefined;
  return BY_EXTENSION.get(rel.slice(dot));
}

/** Only languages whose scanner reads sources (listed languages are known by their manifests alone). */
const NOT_READ: Partial<Record<Language, RegExp>> = {
  node: /(?:^|\/)(?:__tests__|__mocks__|tests?|e2e|spec|fixtures|examples?|docs?|public|static)\/|\.(?:test|spec|stories|e2e-spec)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$|\.min\.js$/,
  python:
    /(?:^|\/)(?:tests?|testing|fixtures|examples?|docs?|migrations)\/|(?:^|\/)(?:test_[^/]*|[^/]*_tests?|conftest)\.py$/,
  go: /(?:^|\/)(?:testdata|examples?|docs?)\/|_test\.go$/,
  java: /(?:^|\/)src\/(?:test|it|integrationTest)\/|(?:^|\/)(?:examples?|docs?)\//,
};

/** Whether a source file (path relative to its service root) is read by the scan. */
export function isReadSource(language: Language, relInService: string): boolean {
  return !NOT_READ[language === 'kotlin' ? 'java' : language]?.test(relInService);
}

export function isTypeScriptFile(rel: string): boolean {
  return /\.(?:ts|mts|cts|tsx)$/.test(rel) && !/\.d\.[cm]?ts$/.test(rel);
}
