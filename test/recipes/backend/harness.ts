/** Plans with the backend recipes only, on a copy of the bundled demo (or any sample repo). */
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { scanRepo } from '../../../src/repo/scan.js';
import { createPlanContext } from '../../../src/plan/context.js';
import type { Proposal } from '../../../src/plan/proposal.js';
import { ToolLookup } from '../../../src/plan/tools.js';
import type { StepId } from '../../../src/skill/schema.js';
import type { InputValue } from '../../../src/session/schema.js';
import { backendRecipes } from '../../../src/plan/recipes/backend/index.js';
import { defaultSkillDir, loadSkill } from '../../../src/skill/load.js';
import type { Skill } from '../../../src/skill/schema.js';
import { applyProposals } from '../../../src/edit/apply.js';
import { undoWrites } from '../../../src/edit/undo.js';
import type { AppliedWrite } from '../../../src/session/schema.js';

// The shared recipe harness (test/helpers/recipe-harness.ts) loads every area's recipes through the planner; these
// helpers load only the backend recipes, so this area's tests do not depend on the others being complete.
let skillPromise: Promise<Skill> | undefined;
function testSkill(): Promise<Skill> {
  skillPromise ??= loadSkill(defaultSkillDir());
  return skillPromise;
}

/** Applies the file changes through the real apply engine; throws on any failure. */
export async function applyIn(root: string, proposals: Proposal[]): Promise<AppliedWrite[]> {
  const files = proposals.filter((p) => p.change.kind !== 'command' && p.change.kind !== 'note');
  const outcome = await applyProposals(root, files, { runCommands: false });
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`apply failed: ${failed.map((r) => `${r.proposalId}: ${r.message}`).join('; ')}`);
  return outcome.writes;
}

export async function undoIn(root: string, writes: AppliedWrite[]): Promise<void> {
  const outcome = await undoWrites(root, writes);
  if (outcome.failed.length > 0) throw new Error(`undo failed: ${outcome.failed.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
}

export async function copyShop(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trace-guide-backend-'));
  await cp(path.resolve('examples/shop'), dir, { recursive: true });
  return dir;
}

export async function planBackend(
  root: string,
  step: StepId,
  inputs: Record<string, InputValue>,
  tools: string[] = ['docker'],
): Promise<Proposal[]> {
  const scan = await scanRepo(root);
  const lookup = Object.assign(new ToolLookup(''), { has: async (t: string) => tools.includes(t) });
  const ctx = createPlanContext({ root, skill: await testSkill(), scan, inputs, tools: lookup });
  // The backend recipes are all repo recipes; run them as the planner does (in order, ids unique), without loading the
  // other areas' recipes.
  const proposals: Proposal[] = [];
  for (const recipe of backendRecipes) {
    if (recipe.step !== step || recipe.scope !== 'repo' || !recipe.appliesTo(ctx)) continue;
    proposals.push(...(await recipe.plan(ctx)));
  }
  const ids = proposals.map((p) => p.id);
  if (new Set(ids).size !== ids.length) throw new Error(`duplicate proposal ids: ${ids.join(', ')}`);
  for (const p of proposals) if (p.step !== step) throw new Error(`${p.id} is for step ${p.step}`);
  return proposals;
}

export function byId(proposals: Proposal[], id: string): Proposal {
  const found = proposals.find((p) => p.id === id);
  if (!found) throw new Error(`no proposal "${id}" among ${proposals.map((p) => p.id).join(', ')}`);
  return found;
}

/** The text a create proposal writes, or the new text of a whole-file edit. */
export function contentOf(proposal: Proposal): string {
  const change = proposal.change;
  if (change.kind === 'create') return change.content;
  if (change.kind === 'edit' && change.edits.length === 1) return change.edits[0]!.new;
  throw new Error(`proposal ${proposal.id} is a ${change.kind}`);
}

export function pathOf(proposal: Proposal): string {
  const change = proposal.change;
  if (change.kind === 'create' || change.kind === 'edit' || change.kind === 'delete') return change.path;
  throw new Error(`proposal ${proposal.id} is a ${change.kind}`);
}

export function yamlOf(proposal: Proposal): unknown {
  return parse(contentOf(proposal));
}

export function noteText(proposal: Proposal): string {
  if (proposal.change.kind !== 'note') throw new Error(`proposal ${proposal.id} is not a note`);
  return proposal.change.text;
}

/** Every file's bytes under root (except .trace-guide and .git), for byte-for-byte comparisons after undo. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.trace-guide' || entry.name === '.git') continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile()) out[path.relative(root, abs).split(path.sep).join('/')] = (await readFile(abs)).toString('base64');
    }
  }
  await walk(root);
  return out;
}
