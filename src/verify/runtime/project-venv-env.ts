/**
 * A Python service runs with its project's virtual environment (`.venv`, `venv` or `env` in its folder or a folder
 * above it inside the repo — the one the recipes install into): its bin folder first on PATH and VIRTUAL_ENV set, so
 * `python app.py`, `flask --app pkg run`, `gunicorn`, `uvicorn` are that environment's, not the machine's.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { findProjectVenv } from '../../lang/python/recipes/python-env.js';
import type { Service } from '../../types/scan.js';

async function existsIn(root: string, rel: string): Promise<boolean> {
  try {
    return (await stat(path.join(root, ...rel.split('/')))).isFile();
  } catch {
    return false;
  }
}

/** PATH and VIRTUAL_ENV for the service's project environment; {} for other languages or when it has none. */
export async function projectVenvEnv(
  root: string,
  service: Service,
  inheritedPath: string,
): Promise<Record<string, string>> {
  if (service.language !== 'python') return {};
  const venv = await findProjectVenv((rel) => existsIn(root, rel), service);
  if (!venv) return {};
  const abs = path.resolve(root, ...venv.split('/'));
  return { VIRTUAL_ENV: abs, PATH: [path.join(abs, 'bin'), inheritedPath].filter(Boolean).join(path.delimiter) };
}
