/**
 * The languages the scan knows, each by its scanner (src/lang/<language>/scan.ts). Adding a language to the scan is
 * adding its folder and listing it here (and its manifest kinds in repo/services.ts).
 */
import type { Language } from '../types/scan.js';
import { dotnetScanner } from './dotnet/scan.js';
import { elixirScanner } from './elixir/scan.js';
import { goScanner } from './go/scan.js';
import { javaScanner } from './java/scan.js';
import { kotlinScanner } from './kotlin/scan.js';
import type { LanguageScanner } from './language.js';
import { nodeScanner } from './node/scan.js';
import { phpScanner } from './php/scan.js';
import { pythonScanner } from './python/scan.js';
import { rubyScanner } from './ruby/scan.js';
import { rustScanner } from './rust/scan.js';
import { scalaScanner } from './scala/scan.js';

export const LANGUAGE_SCANNERS: Readonly<Record<Language, LanguageScanner>> = {
  node: nodeScanner,
  python: pythonScanner,
  go: goScanner,
  java: javaScanner,
  // Listed: services found and named, no recipes yet (lang/listed-scanner.ts).
  dotnet: dotnetScanner,
  ruby: rubyScanner,
  php: phpScanner,
  rust: rustScanner,
  kotlin: kotlinScanner,
  scala: scalaScanner,
  elixir: elixirScanner,
};
