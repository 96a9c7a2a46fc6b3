/**
 * File listing for the scan: which files of a repo are worth considering.
 *
 * - In a git work tree, the list comes from the git index plus untracked files that are not ignored
 *   (`git ls-files -z --cached --others --exclude-standard`), so .gitignore, .git/info/exclude and the global excludes apply.
 *   Untracked nested repositories (listed by git as `dir/`) are left out.
 * - Otherwise the folder is walked, honouring every .gitignore found on the way (via the `ignore` package).
 *
 * Either way, folders that never hold the code of a service are skipped: dependency folders (node_modules, vendor),
 * virtualenvs (venv, .venv, any folder with a pyvenv.cfg, site-packages), VCS folders, build output and caches, and
 * `.trace-guide/`, and the package managers' module caches a home-like folder holds (Go's pkg/mod, ~/.npm, ~/.cargo,
 * ~/.m2...). Nested repositories (a folder with its own .git, other than the root) belong to another project and are
 * not entered either. Symlinks are not followed in the walk (a symlinked folder is skipped, so loops cannot hang the
 * scan); symlinked files are not listed by the walk either (git lists them; the reader follows them only inside the repo).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { simpleGit } from 'simple-git';

/** Folder names never entered, wherever they are. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  '.trace-guide',
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'venv',
  '.venv',
  'site-packages',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'dist',
  'build',
  'target',
  '.gradle',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  'coverage',
  '.idea',
  '.vscode',
  // package managers' caches and toolchains, found when the root is a home folder
  '.npm',
  '.pnpm-store',
  '.yarn',
  '.bun',
  '.deno',
  '.m2',
  '.ivy2',
  '.cargo',
  '.rustup',
  '.nvm',
  '.pyenv',
  '.conda',
  '.local',
  '.gem',
  '.cpan',
]);

/** A folder at this path suffix is a module cache (Go keeps its module cache in $GOPATH/pkg/mod). */
const CACHE_SUFFIXES: readonly string[] = ['pkg/mod', 'pkg/sumdb'];

function isCachePath(rel: string): boolean {
  return CACHE_SUFFIXES.some((suffix) => rel === suffix || rel.endsWith('/' + suffix));
}

/** A folder holding this file is a Python virtualenv, whatever its name (env/, .env/, py311/...). */
const VENV_MARKER = 'pyvenv.cfg';

export interface FileList {
  /** Paths relative to the root, POSIX separators, sorted. */
  files: string[];
  usedGit: boolean;
  /** Folders that could not be read (relative paths), reported as scan problems. */
  unreadable: string[];
}

/** True when any folder segment of `rel` (POSIX) is a skipped folder name. */
export function inSkippedDir(rel: string): boolean {
  let start = 0;
  for (;;) {
    const slash = rel.indexOf('/', start);
    if (slash < 0) return false;
    if (SKIPPED_DIRS.has(rel.slice(start, slash)) || isCachePath(rel.slice(0, slash))) return true;
    start = slash + 1;
  }
}

/** Drops files in skipped folders and in virtualenvs (folders holding a pyvenv.cfg). */
function filterListed(files: string[]): string[] {
  const venvs: string[] = [];
  for (const f of files) {
    if (f === VENV_MARKER) return []; // the root itself is a virtualenv
    if (f.endsWith('/' + VENV_MARKER)) venvs.push(f.slice(0, -VENV_MARKER.length));
  }
  return files.filter((f) => !inSkippedDir(f) && !venvs.some((v) => f.startsWith(v)));
}

async function gitList(root: string): Promise<string[] | undefined> {
  let out: string;
  try {
    const git = simpleGit({ baseDir: root, trimmed: false });
    out = await git.raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  } catch {
    return undefined; // not a work tree, or git missing: walk instead
  }
  const files: string[] = [];
  let prev = '';
  for (const entry of out.split('\0')) {
    if (!entry || entry === prev) continue; // unmerged entries repeat
    prev = entry;
    if (!entry.endsWith('/')) files.push(entry); // `dir/`: an untracked nested repository, another project
  }
  return files;
}

interface IgnoreLevel {
  /** Folder of the .gitignore, relative to the walk root, '' for the root, else ending with '/'. */
  base: string;
  ig: Ignore;
}

function ignoredBy(levels: readonly IgnoreLevel[], rel: string, isDir: boolean): boolean {
  const test = isDir ? rel + '/' : rel;
  for (const level of levels) {
    if (level.ig.ignores(test.slice(level.base.length))) return true;
  }
  return false;
}

/** Walks `dir` (absolute), returning POSIX paths relative to `dir`. */
async function walk(dir: string, unreadable: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string, levels: readonly IgnoreLevel[]): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    } catch {
      unreadable.push(rel || '.');
      return;
    }
    // a virtualenv, or a nested repository (its own .git: another project, or a module checked out by a tool)
    if (rel && entries.some((e) => e.name === VENV_MARKER || e.name === '.git')) return;
    const prefix = rel ? rel + '/' : '';
    let here = levels;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = await fs.readFile(path.join(dir, prefix + '.gitignore'), 'utf8');
        here = [...levels, { base: prefix, ig: ignore().add(text) }];
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      const childRel = prefix + e.name;
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || isCachePath(childRel) || ignoredBy(here, childRel, true)) continue;
        subdirs.push(childRel);
      } else if (e.isFile()) {
        if (!ignoredBy(here, childRel, false)) out.push(childRel);
      }
      // symlinks, sockets, fifos...: not followed, not listed
    }
    await Promise.all(subdirs.map((d) => visit(d, here)));
  };
  await visit('', []);
  return out;
}

/** Lists the files of `root` (an existing directory, absolute). */
export async function listFiles(root: string): Promise<FileList> {
  const unreadable: string[] = [];
  const listed = await gitList(root);
  const files = filterListed(listed ?? (await walk(root, unreadable)));
  files.sort();
  return { files, usedGit: listed !== undefined, unreadable };
}
