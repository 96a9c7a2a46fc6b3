/**
 * Which package manager installs a Node service's dependencies, where it runs, and the command that adds packages to the
 * service: from the `packageManager` field and the lockfiles of the service folder and its parents up to the repo root,
 * with workspaces (pnpm-workspace.yaml, package.json `workspaces`) installing into the service's own package.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import type { PlanContext } from '../../../plan/context.js';

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

const LOCKFILES: ReadonlyArray<{ file: string; manager: PackageManagerName }> = [
  { file: 'package-lock.json', manager: 'npm' },
  { file: 'npm-shrinkwrap.json', manager: 'npm' },
  { file: 'pnpm-lock.yaml', manager: 'pnpm' },
  { file: 'yarn.lock', manager: 'yarn' },
  { file: 'bun.lock', manager: 'bun' },
  { file: 'bun.lockb', manager: 'bun' },
];

/** The lockfile a manager writes when there is none yet. */
const NEW_LOCKFILE: Record<PackageManagerName, string> = {
  npm: 'package-lock.json',
  pnpm: 'pnpm-lock.yaml',
  yarn: 'yarn.lock',
  bun: 'bun.lock',
};

export type PackageManagerChoice =
  | {
      kind: 'chosen';
      manager: PackageManagerName;
      /** Folder (repo-relative) where the manager runs: the workspace root, or the service folder. */
      runIn: string;
      /** Lockfile the install rewrites (repo-relative), when there is one. */
      lockfile?: string;
      /** The service is a member of a workspace rooted at `runIn`. */
      workspace: boolean;
      /** How it was decided, for the proposal's text. */
      reason: string;
    }
  | { kind: 'conflict'; found: Array<{ file: string; manager: PackageManagerName }>; folder: string };

/** Folders from the service root up to the repo root ('.'), nearest first. */
function foldersUp(serviceRoot: string): string[] {
  const out: string[] = [];
  let dir = serviceRoot === '' ? '.' : serviceRoot;
  for (;;) {
    out.push(dir);
    if (dir === '.') return out;
    const parent = path.posix.dirname(dir);
    dir = parent === '' ? '.' : parent;
  }
}

function join(dir: string, file: string): string {
  return dir === '.' ? file : `${dir}/${file}`;
}

function managerField(pkgText: string | undefined): PackageManagerName | undefined {
  if (!pkgText) return undefined;
  try {
    const data = JSON.parse(pkgText) as { packageManager?: unknown };
    const m = typeof data.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(data.packageManager) : null;
    return (m?.[1] as PackageManagerName | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

function declaresWorkspaces(pkgText: string | undefined): boolean {
  if (!pkgText) return false;
  try {
    const data = JSON.parse(pkgText) as { workspaces?: unknown };
    return Array.isArray(data.workspaces) || (typeof data.workspaces === 'object' && data.workspaces !== null);
  } catch {
    return false;
  }
}

export async function choosePackageManager(ctx: PlanContext, service: Service): Promise<PackageManagerChoice> {
  const folders = foldersUp(service.root);
  // The nearest workspace root above the service (a workspace root that is the service itself is not a membership).
  let workspaceRoot: string | undefined;
  for (const dir of folders.slice(1)) {
    const pkg = await ctx.repo.read(join(dir, 'package.json'));
    if ((await ctx.repo.exists(join(dir, 'pnpm-workspace.yaml'))) || declaresWorkspaces(pkg)) {
      workspaceRoot = dir;
      break;
    }
  }
  const searchIn = workspaceRoot ? folders.slice(0, folders.indexOf(workspaceRoot) + 1) : folders;

  let field: { manager: PackageManagerName; dir: string } | undefined;
  for (const dir of searchIn) {
    const manager = managerField(await ctx.repo.read(join(dir, 'package.json')));
    if (manager) {
      field = { manager, dir };
      break;
    }
  }
  // Lockfiles: the nearest folder that has any decides.
  let locks: Array<{ file: string; manager: PackageManagerName }> = [];
  let lockDir: string | undefined;
  for (const dir of searchIn) {
    for (const l of LOCKFILES)
      if (await ctx.repo.exists(join(dir, l.file))) locks.push({ file: join(dir, l.file), manager: l.manager });
    if (locks.length > 0) {
      lockDir = dir;
      break;
    }
  }
  const runIn = workspaceRoot ?? lockDir ?? service.root;
  const workspace = workspaceRoot !== undefined;
  if (field) {
    const lock = locks.find((l) => l.manager === field.manager);
    const fieldRunIn = workspaceRoot ?? (lock ? path.posix.dirname(lock.file) || '.' : field.dir);
    return {
      kind: 'chosen',
      manager: field.manager,
      runIn: fieldRunIn,
      lockfile: lock?.file ?? join(fieldRunIn, NEW_LOCKFILE[field.manager]),
      workspace,
      reason: `the packageManager field in ${join(field.dir, 'package.json')}`,
    };
  }
  const managers = new Set(locks.map((l) => l.manager));
  if (managers.size > 1) return { kind: 'conflict', found: locks, folder: lockDir ?? '.' };
  const lock = locks[0];
  if (lock) {
    return {
      kind: 'chosen',
      manager: lock.manager,
      runIn,
      lockfile: lock.file,
      workspace,
      reason: `the lockfile ${lock.file}`,
    };
  }
  const manager: PackageManagerName =
    workspaceRoot && (await ctx.repo.exists(join(workspaceRoot, 'pnpm-workspace.yaml'))) ? 'pnpm' : 'npm';
  return {
    kind: 'chosen',
    manager,
    runIn,
    lockfile: join(runIn, NEW_LOCKFILE[manager]),
    workspace,
    reason: 'no lockfile yet (npm is the default)',
  };
}

/** Quotes a shell word when it needs it. */
function shellWord(word: string): string {
  return /^[\w@./:=^~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that adds exact package versions to the service's package.json and the lockfile, run in `choice.runIn`.
 * Workspace members are addressed by their package name (`pnpm add --filter`, `npm install -w`, `yarn workspace`);
 * bun adds from the member's own folder.
 */
export function addCommand(
  choice: Extract<PackageManagerChoice, { kind: 'chosen' }>,
  service: Service,
  packageName: string,
  specs: string[],
): { command: string; cwd: string } {
  const pkgs = specs.map(shellWord).join(' ');
  const member = shellWord(packageName);
  if (!choice.workspace) {
    switch (choice.manager) {
      case 'npm':
        return { command: `npm install --save-exact --no-audit --no-fund ${pkgs}`, cwd: service.root };
      case 'pnpm':
        return { command: `pnpm add --save-exact ${pkgs}`, cwd: service.root };
      case 'yarn':
        return { command: `yarn add --exact ${pkgs}`, cwd: service.root };
      case 'bun':
        return { command: `bun add --exact ${pkgs}`, cwd: service.root };
    }
  }
  switch (choice.manager) {
    case 'npm':
      return { command: `npm install --save-exact --no-audit --no-fund -w ${member} ${pkgs}`, cwd: choice.runIn };
    case 'pnpm':
      return { command: `pnpm add --save-exact --filter ${member} ${pkgs}`, cwd: choice.runIn };
    case 'yarn':
      return { command: `yarn workspace ${member} add --exact ${pkgs}`, cwd: choice.runIn };
    case 'bun':
      return { command: `bun add --exact ${pkgs}`, cwd: service.root };
  }
}
