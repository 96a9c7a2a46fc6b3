/**
 * A session whose step 1 holds a plan of hand-made proposals, recorded as shown (as `trace-guide plan` would), so the
 * real CLI's `apply --step 1 --yes` applies exactly them. For attack tests that need many, or particular, file changes.
 */
import type { ProposalInput } from '../../src/types/proposal.js';
import { ProposalSchema } from '../../src/types/proposal.js';
import { scanRepo } from '../../src/repo/scan.js';
import { shownDigests } from '../../src/safety/shown-digest.js';
import { dispatch, openWorkspace, startSession } from '../../src/session/workspace.js';

export async function plantStepOnePlan(
  root: string,
  proposals: Omit<ProposalInput, 'step' | 'source' | 'why'>[],
): Promise<void> {
  const parsed = proposals.map((p) =>
    ProposalSchema.parse({ step: 'backend', source: 'recipe', why: 'attack test', ...p }),
  );
  const workspace = await openWorkspace(root);
  const { session } = await startSession(workspace, await scanRepo(workspace.root));
  await dispatch(workspace, session, { type: 'proposals-ready', proposals: parsed, shown: shownDigests(parsed) });
}

/** An edit proposal replacing `old` by `next` in `path`. */
export function editOf(
  id: string,
  path: string,
  old: string,
  next: string,
  after: string[] = [],
): Omit<ProposalInput, 'step' | 'source' | 'why'> {
  return { id, title: `edit ${path}`, change: { kind: 'edit', path, edits: [{ old, new: next }] }, after };
}
