/** Shared steps of the Node recipe tests: plan every step in order, apply, check the files parse, undo to the bytes. */
import { execFileSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { expect } from 'vitest';
import { applyIn, planIn, snapshot, undoIn } from '../../helpers/recipe-harness.js';
import type { Proposal } from '../../../src/types/proposal.js';
import type { StepId } from '../../../src/skill/schema.js';
import type { AppliedWrite } from '../../../src/session/schema.js';
import type { InputValue } from '../../../src/session/schema.js';

export const NODE_STEPS: StepId[] = ['auto-instrumentation', 'manual-spans', 'propagation', 'sampling', 'correlation'];
export const GATEWAY = path.resolve(import.meta.dirname, '../../../examples/shop/gateway');

export async function copyGateway(dir: string): Promise<void> {
  await cp(GATEWAY, dir, { recursive: true });
}

/** The proposals of the Node recipes (other areas' recipes run in the same steps). */
export async function planNode(
  dir: string,
  step: StepId,
  inputs: Record<string, InputValue> = {},
  tools = ['npm', 'pnpm', 'yarn'],
): Promise<Proposal[]> {
  const plan = await planIn(dir, step, inputs, { tools });
  const node = new Set(plan.ctx.services.filter((s) => s.language === 'node').map((s) => s.id));
  return plan.proposals.filter((p) => p.service !== undefined && node.has(p.service));
}

/** Proposals that change files or run commands (notes are advice and may repeat). */
export function changes(proposals: Proposal[]): Proposal[] {
  return proposals.filter((p) => p.change.kind !== 'note');
}

export interface Run {
  plans: Partial<Record<StepId, Proposal[]>>;
  writes: AppliedWrite[];
}

/** Plans and applies each step in turn (as a user accepting everything would), collecting the writes. */
export async function applyAllSteps(
  dir: string,
  inputs: Record<string, InputValue> = {},
  tools = ['npm', 'pnpm', 'yarn'],
): Promise<Run> {
  const run: Run = { plans: {}, writes: [] };
  for (const step of NODE_STEPS) {
    const proposals = await planNode(dir, step, inputs, tools);
    run.plans[step] = proposals;
    run.writes.push(...(await applyIn(dir, proposals)));
  }
  return run;
}

/** After everything was applied, planning again proposes no file change or command in any step. */
export async function expectIdempotent(dir: string, inputs: Record<string, InputValue> = {}): Promise<void> {
  for (const step of NODE_STEPS) {
    const proposals = await planNode(dir, step, inputs);
    expect(
      changes(proposals).map((p) => p.id),
      `re-planning ${step}`,
    ).toEqual([]);
  }
}

/** Undoes the writes (the undo engine walks them newest first) and compares every byte with the snapshot taken before. */
export async function expectUndoRestores(
  dir: string,
  before: Record<string, string>,
  writes: AppliedWrite[],
): Promise<void> {
  await undoIn(dir, writes);
  expect(await snapshot(dir)).toEqual(before);
}

export function nodeCheck(dir: string, rel: string): void {
  execFileSync(process.execPath, ['--check', path.join(dir, rel)], { stdio: 'pipe' });
}

/** TypeScript syntax diagnostics of a file (ts.transpileModule), as messages. */
export async function tsSyntaxErrors(dir: string, rel: string): Promise<string[]> {
  const out = ts.transpileModule(await readFile(path.join(dir, rel), 'utf8'), {
    reportDiagnostics: true,
    fileName: rel,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true },
  });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

export async function packageJson(
  dir: string,
  rel = 'package.json',
): Promise<{ scripts?: Record<string, string>; dependencies?: Record<string, string> }> {
  return JSON.parse(await readFile(path.join(dir, rel), 'utf8'));
}

export function ids(proposals: Proposal[] | undefined): string[] {
  return (proposals ?? []).map((p) => p.id);
}
