/**
 * The source files of one service, read for what the runtime run needs to know before starting it: the routes it
 * serves (to probe them) and the environment variables it reads (its port, the URLs of the services it calls).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { FileReader, readRepoText } from '../../repo/read.js';
import type { Service } from '../../types/scan.js';

export interface SourceFile {
  /** Repo-relative POSIX path. */
  rel: string;
  text: string;
}

const EXTENSIONS: Partial<Record<Service['language'], string[]>> = {
  node: ['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts'],
  python: ['.py'],
  go: ['.go'],
  java: ['.java', '.kt'],
};
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  'vendor',
  'dist',
  'build',
  'target',
  '.trace-guide',
  'coverage',
  'test',
  'tests',
  '__tests__',
]);
const MAX_FILES = 200;
const MAX_BYTES = 512 * 1024;

/** Reads up to 200 source files of the service's language under its root (tests, dependencies and builds left out). */
export async function readServiceSources(repoRoot: string, service: Service): Promise<SourceFile[]> {
  const exts = EXTENSIONS[service.language] ?? [];
  const serviceRoot = path.resolve(repoRoot, service.root);
  const out: SourceFile[] = [];
  const reader = new FileReader(repoRoot, MAX_BYTES);
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (out.length >= MAX_FILES || depth > 6) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.length >= MAX_FILES) return;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(abs, depth + 1);
      } else if (
        entry.isFile() &&
        exts.some((ext) => entry.name.endsWith(ext)) &&
        !/\.(test|spec)\.|_test\.go$|^test_/.test(entry.name)
      ) {
        const rel = path.relative(repoRoot, abs).split(path.sep).join('/');
        const read = reader.read(rel); // real path inside the repo, regular file, at most MAX_BYTES: else skipped
        if (read.ok) out.push({ rel, text: read.text });
      }
    }
  };
  await walk(serviceRoot, 0);
  // The entry file first: its routes and settings are the most likely to matter.
  const entry = service.entrypoint?.file;
  out.sort((a, b) => Number(b.rel === entry) - Number(a.rel === entry));
  return out;
}

/** Markdown files near the service (its README and the repo's), where sample URLs such as /checkout/widget are written. */
export async function readDocs(repoRoot: string, service: Service): Promise<string[]> {
  const dirs = [...new Set([path.resolve(repoRoot, service.root), path.resolve(repoRoot)])];
  const docs: string[] = [];
  for (const dir of dirs) {
    let entries: string[] = [];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of entries.filter((n) => /^readme(\.md|\.rst|\.txt)?$/i.test(n))) {
      // Through the safe reader: a README symlinked out of the repo, a FIFO or a device is skipped, not read.
      const read = readRepoText(repoRoot, path.relative(repoRoot, path.join(dir, name)).split(path.sep).join('/'));
      if (read.ok) docs.push(read.text);
    }
  }
  return docs;
}
