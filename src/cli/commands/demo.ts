import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packageRoot } from '../../core/package-root.js';
import type { ParsedArgs } from '../args.js';
import { progress } from '../output.js';
import { requireTerminal, runGuide } from './guide.js';

const NOT_COPIED = new Set(['node_modules', '.venv', 'venv', '__pycache__', '.trace-guide']);

/** Copies the bundled demo system to a fresh temporary folder, so the installed copy is never modified. */
export async function copyDemo(): Promise<string> {
  const source = join(packageRoot(), 'examples', 'shop');
  const target = join(await mkdtemp(join(tmpdir(), 'trace-guide-demo-')), 'shop');
  await cp(source, target, { recursive: true, filter: (path) => !NOT_COPIED.has(basename(path)) });
  return target;
}

export async function runDemo(args: ParsedArgs): Promise<number> {
  requireTerminal();
  const dir = await copyDemo();
  progress(`The demo system was copied to ${dir}; your changes there never touch trace-guide's own copy.`);
  // The demo needs no Docker: the built-in receiver is the preselected backend, so the first traces show up right here.
  return runGuide({ ...args, command: 'guide', dir }, { initialInputs: { backend: 'local' } });
}
