/** Shared bits of the Python recipe tests: the demo orders service as sample files, and py_compile of changed files. */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Proposal } from '../../../src/types/proposal.js';
import type { StepId } from '../../../src/skill/schema.js';
import type { AppliedWrite, InputValue } from '../../../src/session/schema.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';

const run = promisify(execFile);
const DEMO_ORDERS = path.resolve(import.meta.dirname, '../../../examples/shop/orders');

/** The bundled demo's orders service (Flask + requests), as files under `orders/`. */
export async function demoOrdersFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(DEMO_ORDERS))
    out[`orders/${name}`] = await readFile(path.join(DEMO_ORDERS, name), 'utf8');
  return out;
}

/** Repo-relative .py files the proposals create or edit. */
export function pythonFilesOf(proposals: Proposal[]): string[] {
  return [
    ...new Set(
      proposals.flatMap((p) =>
        (p.change.kind === 'create' || p.change.kind === 'edit') && p.change.path.endsWith('.py')
          ? [p.change.path]
          : [],
      ),
    ),
  ];
}

/** Byte-compiles the files with python3; rejects with the compiler's message on a syntax error. */
export async function pyCompile(root: string, files: string[]): Promise<void> {
  if (files.length === 0) return;
  const script =
    'import py_compile, sys\nfor f in sys.argv[1:]:\n    py_compile.compile(f, doraise=True, cfile=None, dfile=f, optimize=-1)\n';
  await run('python3', ['-B', '-c', `${script}`, ...files], {
    cwd: root,
    env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(root, '.trace-guide', 'pycache') },
  });
}

export function byKind(proposals: Proposal[], kind: Proposal['change']['kind']): Proposal[] {
  return proposals.filter((p) => p.change.kind === kind);
}

/** The text a create proposal writes. */
export function createdText(proposals: Proposal[], file: string): string {
  const p = proposals.find((x) => x.change.kind === 'create' && x.change.path === file);
  if (!p || p.change.kind !== 'create') throw new Error(`no create proposal for ${file}`);
  return p.change.content;
}

/** Plans and applies the steps in order (only proposals of `service`), returning every write and every plan's proposals. */
export async function applySteps(
  root: string,
  service: string,
  steps: readonly StepId[],
  inputs: Record<string, InputValue> = {},
  tools: string[] = ['pip'],
): Promise<{ writes: AppliedWrite[]; proposals: Record<string, Proposal[]> }> {
  const writes: AppliedWrite[] = [];
  const proposals: Record<string, Proposal[]> = {};
  for (const step of steps) {
    const plan = await planIn(root, step, inputs, { tools });
    const mine = plan.proposals.filter((p) => p.service === service);
    proposals[step] = mine;
    writes.push(...(await applyIn(root, mine)));
    await pyCompile(root, pythonFilesOf(mine));
  }
  return { writes, proposals };
}

export const STEPS_2_TO_6: readonly StepId[] = [
  'auto-instrumentation',
  'manual-spans',
  'propagation',
  'sampling',
  'correlation',
];
