import { simpleGit } from 'simple-git';

/** True when `root` is inside a git work tree (and git runs). */
export async function isGitWorkTree(root: string): Promise<boolean> {
  try {
    return await simpleGit(root).checkIsRepo();
  } catch {
    return false;
  }
}

/** Files with uncommitted changes (or untracked), or undefined when the folder is not a git work tree. */
export async function dirtyFiles(root: string): Promise<string[] | undefined> {
  const git = simpleGit(root);
  try {
    if (!(await git.checkIsRepo())) return undefined;
    const status = await git.status();
    return status.files.map((f) => f.path).filter((p) => !p.startsWith('.trace-guide/'));
  } catch {
    return undefined;
  }
}

/** Commits exactly the given paths (added, changed or removed) with the message; returns the commit hash. */
export async function commitPaths(root: string, paths: string[], message: string): Promise<string | undefined> {
  if (paths.length === 0) return undefined;
  const git = simpleGit(root);
  await git.raw(['add', '-A', '--', ...paths]);
  const result = await git.commit(message, paths);
  return result.commit || undefined;
}

/** Whether git tracks `rel` (a repo-relative path) in the work tree at `root`; false outside git or when git cannot tell. */
export async function isTrackedByGit(root: string, rel: string): Promise<boolean> {
  try {
    return (await simpleGit(root).raw(['ls-files', '--', rel])).trim() !== '';
  } catch {
    return false;
  }
}
