/** Plans with the backend recipes only, on a copy of the bundled demo (or any sample repo). */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { Proposal } from '../../../src/types/proposal.js';
import type { StepId } from '../../../src/skill/schema.js';
import type { InputValue } from '../../../src/session/schema.js';
import { backendRecipes } from '../../../src/plan/recipes/backend/index.js';
import { planIn } from '../../helpers/recipe-harness.js';

export { applyIn, snapshot, undoIn } from '../../helpers/recipe-harness.js';

export async function copyShop(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trace-guide-backend-'));
  await cp(path.resolve('examples/shop'), dir, { recursive: true });
  return dir;
}

/** Plans one step with the backend recipes only (docker installed unless told otherwise). */
export async function planBackend(
  root: string,
  step: StepId,
  inputs: Record<string, InputValue>,
  tools: string[] = ['docker'],
): Promise<Proposal[]> {
  return (await planIn(root, step, inputs, { tools, recipes: backendRecipes })).proposals;
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
