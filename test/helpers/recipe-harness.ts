/**
 * Plan → apply → undo for recipe tests, against a sample repo in a temp dir. Applying goes through the real apply engine
 * (src/edit), so a recipe test also proves its proposals apply cleanly and undo to the exact bytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { scanRepo } from '../../src/repo/scan.js';
import { defaultSkillDir, loadSkill } from '../../src/skill/load.js';
import type { Skill, StepId } from '../../src/skill/schema.js';
import type { InputValue } from '../../src/session/schema.js';
import { createPlanContext, type PlanContext } from '../../src/plan/context.js';
import { planStep, type StepPlan } from '../../src/plan/planner.js';
import type { Proposal } from '../../src/types/proposal.js';
import type { Recipe } from '../../src/plan/recipe.js';
import { ToolLookup } from '../../src/plan/tool-lookup.js';
import { fixedMachineNode } from '../../src/lang/node/machine-node.js';
import { applyProposals } from '../../src/edit/apply.js';
import { undoWrites } from '../../src/edit/undo.js';
import type { AppliedWrite } from '../../src/session/schema.js';

let skillPromise: Promise<Skill> | undefined;
export function testSkill(): Promise<Skill> {
  skillPromise ??= loadSkill(defaultSkillDir());
  return skillPromise;
}

export interface PlanInOptions {
  /** Pretend only these tools are installed (default: look them up on PATH). */
  tools?: string[];
  /** Plan with these recipes only (default: all built-in ones), so one area's tests need no other area. */
  recipes?: readonly Recipe[];
  /** This machine's `node --version` as the Node recipe sees it (default: none known, so a plan does not depend on the machine running the tests). */
  machineNode?: string;
}

/** Scans the repo and plans one step with the built-in recipes. */
export async function planIn(
  root: string,
  step: StepId,
  inputs: Record<string, InputValue> = {},
  options: PlanInOptions = {},
): Promise<StepPlan & { ctx: PlanContext }> {
  const scan = await scanRepo(root);
  const tools = options.tools
    ? Object.assign(new ToolLookup(''), { has: async (t: string) => options.tools!.includes(t) })
    : new ToolLookup();
  const ctx = createPlanContext({
    root,
    skill: await testSkill(),
    scan,
    inputs,
    tools,
    machineNode: fixedMachineNode(options.machineNode),
  });
  const plan = await planStep(ctx, step, options.recipes);
  return { ...plan, ctx };
}

/** Applies the file changes (edit / create / delete) of the proposals; commands and notes are left out. Throws on any failure. */
export async function applyIn(root: string, proposals: Proposal[]): Promise<AppliedWrite[]> {
  const files = proposals.filter((p) => p.change.kind !== 'command' && p.change.kind !== 'note');
  const outcome = await applyProposals(root, files, { runCommands: false });
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new Error(`apply failed: ${failed.map((r) => `${r.proposalId}: ${r.message}`).join('; ')}`);
  return outcome.writes;
}

/** Restores what applyIn changed. Throws on any failure. */
export async function undoIn(root: string, writes: AppliedWrite[]): Promise<void> {
  const outcome = await undoWrites(root, writes);
  if (outcome.failed.length > 0)
    throw new Error(`undo failed: ${outcome.failed.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
}

const SKIP = new Set(['.trace-guide', 'node_modules', '.git', '.venv', '__pycache__']);

/** Every file's content under root (except .trace-guide, .git, node_modules, virtualenvs), for byte-for-byte comparisons. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile())
        out[path.relative(root, abs).split(path.sep).join('/')] = (await readFile(abs)).toString('base64');
    }
  }
  await walk(root);
  return out;
}
