/**
 * The languages the scan knows, each by its scanner (src/lang/<language>/scan.ts). Adding a language to the scan is
 * adding its folder and listing it here (and its manifest kinds in repo/services.ts).
 */
import type { Language } from '../repo/scan-schema.js';
import { goScanner } from './go/scan.js';
import { javaScanner } from './java/scan.js';
import type { LanguageScanner } from './language.js';
import { nodeScanner } from './node/scan.js';
import { pythonScanner } from './python/scan.js';

export const LANGUAGE_SCANNERS: Readonly<Record<Language, LanguageScanner>> = {
  node: nodeScanner,
  python: pythonScanner,
  go: goScanner,
  java: javaScanner,
};
