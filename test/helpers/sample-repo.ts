/**
 * Sample repositories for tests: write a map of path → content into a fresh folder of the OS temp dir, optionally
 * `git init` and commit it. Remove it with `removeSampleRepo` (or `using`-style in afterEach).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';

export type SampleFiles = Record<string, string | Uint8Array>;

export interface SampleRepoOptions {
  /** Run `git init` and commit every file (files matched by a .gitignore stay untracked and ignored). */
  git?: boolean;
  /** Prefix of the temp folder name. */
  prefix?: string;
}

export async function writeFiles(dir: string, files: SampleFiles): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, ...rel.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

export async function makeSampleRepo(files: SampleFiles, options: SampleRepoOptions = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), options.prefix ?? 'trace-guide-sample-'));
  await writeFiles(dir, files);
  if (options.git) {
    try {
      const git = simpleGit(dir);
      await git.init();
      await git.raw(['add', '-A']);
      const identity = ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];
      await git.raw([...identity, 'commit', '-q', '--allow-empty', '-m', 'sample']);
    } catch (e) {
      await removeSampleRepo(dir);
      throw e;
    }
  }
  return dir;
}

export async function removeSampleRepo(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
