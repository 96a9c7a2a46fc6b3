import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../core/package-root.js';

/** The version in trace-guide's package.json (found from dist/, src/ or a bundle alike). */
export async function readVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
