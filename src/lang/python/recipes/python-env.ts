/**
 * Where a Python service's packages go: never the machine's global interpreter.
 *
 * - A virtual environment of the project (`.venv`, `venv` or `env` holding a pyvenv.cfg, in the service folder or a
 *   folder above it inside the repo): installs run with that environment's own interpreter
 *   (`.venv/bin/python -m pip install …`), and the runtime checks start the service with its bin folder first on PATH.
 * - None, but a virtual environment is active where trace-guide runs (VIRTUAL_ENV): `pip install --require-virtualenv …`,
 *   so pip itself refuses to install if no environment is active when the command runs.
 * - Neither: creating `.venv` in the service folder is proposed first (`python3 -m venv .venv`, shown and asked like
 *   every proposal), and the install uses that environment's interpreter.
 * Poetry, uv and Pipenv keep their own commands: each installs into the environment it manages for the project.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';

/** Folder names a project's virtual environment goes by, in the order they are looked for. */
export const VENV_NAMES = ['.venv', 'venv', 'env'] as const;

export type PipTarget =
  /** An existing environment of the project: `venv` is its repo-relative folder. */
  | { kind: 'project'; venv: string }
  /** The environment active where trace-guide runs (outside the repo); pip must refuse to run without one. */
  | { kind: 'active' }
  /** None yet: `venv` (repo-relative) is to be created first. */
  | { kind: 'create'; venv: string };

/** The service folder, then each folder above it up to the repo root (repo-relative, '.' for the root). */
function foldersUp(service: Pick<Service, 'root'>): string[] {
  const out: string[] = [];
  let dir = service.root === '' ? '.' : path.posix.normalize(service.root);
  for (;;) {
    out.push(dir);
    if (dir === '.') return out;
    const parent = path.posix.dirname(dir);
    dir = parent === '' ? '.' : parent;
  }
}

function join(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

/** The project's virtual environment nearest the service (repo-relative), if any. */
export async function findProjectVenv(
  exists: (rel: string) => Promise<boolean>,
  service: Pick<Service, 'root'>,
): Promise<string | undefined> {
  for (const dir of foldersUp(service)) {
    for (const name of VENV_NAMES) {
      const venv = join(dir, name);
      if (await exists(`${venv}/pyvenv.cfg`)) return venv;
    }
  }
  return undefined;
}

/** Where pip installs for this service (see the module comment). `env` is where trace-guide runs (VIRTUAL_ENV). */
export async function pipTarget(
  exists: (rel: string) => Promise<boolean>,
  service: Pick<Service, 'root'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PipTarget> {
  const venv = await findProjectVenv(exists, service);
  if (venv) return { kind: 'project', venv };
  if (env.VIRTUAL_ENV && env.VIRTUAL_ENV.trim() !== '') return { kind: 'active' };
  return { kind: 'create', venv: join(service.root === '' ? '.' : service.root, '.venv') };
}

export interface PipCommand {
  /** The command line, run in `cwd`. */
  cmd: string;
  /** Repo-relative folder it runs in. */
  cwd: string;
}

/** Relative path from `from` to `to`, both repo-relative folders/files, POSIX, '.' for the same folder. */
function relative(from: string, to: string): string {
  const rel = path.posix.relative(from === '.' ? '' : from, to === '.' ? '' : to);
  return rel === '' ? '.' : rel;
}

/** What pip installs: a file or folder relative to the service (`-r requirements.txt`, `-e .`), or named packages. */
export type PipArgs = { flag: '-r' | '-e'; path: string } | { specs: string[] };

/**
 * `pip install <args>` for the service, into its target: files are named relative to the service folder and are
 * rewritten for the folder the command runs in; package specs (`name==version`) are passed as they are.
 */
export function pipInstall(target: PipTarget, service: Pick<Service, 'root'>, args: PipArgs): PipCommand {
  const serviceRoot = service.root === '' ? '.' : service.root;
  if ('specs' in args) {
    // Version specifiers with < or > are quoted: the command is split into words with '…' quoting, never by a shell.
    const specs = args.specs.map((spec) => (/^[A-Za-z0-9._=~!,[\]*+-]+$/.test(spec) ? spec : `'${spec}'`)).join(' ');
    if (target.kind === 'active') return { cmd: `pip install --require-virtualenv ${specs}`, cwd: serviceRoot };
    const cwd = path.posix.dirname(target.venv) === '' ? '.' : path.posix.dirname(target.venv);
    return { cmd: `${relative(cwd, target.venv)}/bin/python -m pip install ${specs}`, cwd };
  }
  if (target.kind === 'active')
    return { cmd: `pip install --require-virtualenv ${args.flag} ${args.path}`, cwd: serviceRoot };
  // Run where the environment's folder is, so both the interpreter and the file are paths inside that folder.
  const cwd = path.posix.dirname(target.venv) === '' ? '.' : path.posix.dirname(target.venv);
  const file = relative(cwd, join(serviceRoot, args.path));
  return { cmd: `${relative(cwd, target.venv)}/bin/python -m pip install ${args.flag} ${file}`, cwd };
}
