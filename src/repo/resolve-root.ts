import { access, constants, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError } from '../core/errors.js';

/** Resolves the directory the user named to an absolute real path, or says clearly why it cannot be used. */
export async function resolveRepoRoot(dir: string): Promise<string> {
  const absolute = resolve(dir);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw inputError(`${absolute} does not exist`, 'give the path of a repository directory');
    if (code === 'EACCES') throw inputError(`${absolute} cannot be read (permission denied)`);
    if (code === 'ELOOP') throw inputError(`${absolute} is a symlink loop`);
    throw inputError(`${absolute} cannot be opened: ${(error as Error).message}`);
  }
  if (!info.isDirectory())
    throw inputError(`${absolute} is not a directory`, 'give the path of a repository directory');
  try {
    await access(absolute, constants.R_OK | constants.X_OK);
  } catch {
    throw inputError(`${absolute} cannot be read (permission denied)`);
  }
  return realpath(absolute);
}
