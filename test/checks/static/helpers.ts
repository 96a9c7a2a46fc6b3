/**
 * Running static checks in tests: a CheckContext over a repo on disk (fresh scan, the real skill, the given answers).
 * Static checks never start anything, so runtime() refuses.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RepoReader } from '../../../src/repo/repo-reader.js';
import { scanRepo } from '../../../src/repo/scan.js';
import type { InputValue } from '../../../src/session/schema.js';
import type { Check, CheckContext } from '../../../src/verify/check.js';
import type { CheckResult } from '../../../src/types/check-result.js';
import { applyIn, planIn, testSkill } from '../../helpers/recipe-harness.js';
import type { StepId } from '../../../src/skill/schema.js';

export async function staticContext(root: string, inputs: Record<string, InputValue> = {}): Promise<CheckContext> {
  const scan = await scanRepo(root);
  const chosen = inputs.services;
  const services = Array.isArray(chosen)
    ? scan.services.filter((s) => chosen.includes(s.id) || chosen.includes(s.name))
    : scan.services;
  return {
    root,
    skill: await testSkill(),
    scan,
    inputs,
    services,
    repo: new RepoReader(root),
    runtime: () => Promise.reject(new Error('static checks never start the services')),
  };
}

export async function runCheck(
  check: Check,
  root: string,
  inputs: Record<string, InputValue> = {},
): Promise<CheckResult> {
  return check.run(await staticContext(root, inputs));
}

export const ALL_STEPS: StepId[] = [
  'backend',
  'auto-instrumentation',
  'manual-spans',
  'propagation',
  'sampling',
  'correlation',
];

/** A copy of examples/shop in a temp dir with the recipes of these steps applied (file changes only, no installs). */
export async function instrumentedShop(
  inputs: Record<string, InputValue>,
  steps: StepId[] = ALL_STEPS,
): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tg-static-shop-'));
  await cp(path.resolve('examples/shop'), root, { recursive: true });
  await instrument(root, inputs, steps);
  return root;
}

/** Applies the recipes of these steps to a repo. */
export async function instrument(
  root: string,
  inputs: Record<string, InputValue>,
  steps: StepId[] = ALL_STEPS,
): Promise<void> {
  for (const step of steps) {
    const plan = await planIn(root, step, inputs);
    await applyIn(root, plan.proposals);
  }
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A failure message that shows the whole result. */
export function show(r: CheckResult): string {
  return JSON.stringify(r, null, 2);
}

/** A copy of `base` with some files changed (a function of the old text, or the new text; undefined deletes nothing). */
export async function variant(
  base: string,
  edits: Record<string, string | ((old: string) => string)>,
): Promise<string> {
  const { readFile, writeFile, mkdir } = await import('node:fs/promises');
  const root = await mkdtemp(path.join(tmpdir(), 'tg-static-variant-'));
  await cp(base, root, { recursive: true });
  for (const [rel, edit] of Object.entries(edits)) {
    const abs = path.join(root, ...rel.split('/'));
    let next: string;
    if (typeof edit === 'string') next = edit;
    else {
      const old = await readFile(abs, 'utf8');
      next = edit(old);
      if (next === old) throw new Error(`variant: the edit of ${rel} changed nothing`);
    }
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, next);
  }
  return root;
}
