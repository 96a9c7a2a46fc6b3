/**
 * A throwaway copy of the demo shop (examples/shop) for the tests that take it through the six steps with the real
 * installs: its own git repo and its own Python virtual environment. pip installs into that venv from one local
 * wheelhouse (the orders service's requirements and every package the Python recipes pin, downloaded once and shared by
 * the test files and runs: test/helpers/shape-installs.mjs), so no install asks the package index again.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './cli.js';
import { offlinePipEnv } from './shape-installs.mjs';

export interface DemoCopy {
  root: string;
  venv: string;
  /** PATH with the virtual environment first (pip installs into it, the orders service runs with it), pip offline. */
  env: Record<string, string>;
}

/** The demo shop copied to a temp dir, committed to a fresh git repo, with a throwaway virtual environment beside it. */
export async function copyDemo(prefix: string): Promise<DemoCopy> {
  const root = await mkdtemp(path.join(tmpdir(), `${prefix}-`));
  await cp(path.join(PROJECT_ROOT, 'examples/shop'), root, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'shop');
  const venv = await mkdtemp(path.join(tmpdir(), `${prefix}-venv-`));
  execFileSync('python3', ['-m', 'venv', venv]);
  const pip = await offlinePipEnv([path.join(PROJECT_ROOT, 'examples/shop/orders')]);
  return {
    root,
    venv,
    env: { ...pip, PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, VIRTUAL_ENV: venv },
  };
}

/** Removes the copy and its virtual environment. */
export async function removeDemo(demo: DemoCopy | undefined): Promise<void> {
  if (!demo) return;
  await rm(demo.root, { recursive: true, force: true });
  await rm(demo.venv, { recursive: true, force: true });
}
