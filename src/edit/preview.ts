import type { Proposal } from '../types/proposal.js';
import { applyProposals } from './apply.js';
import { describeChange } from './diff.js';

export interface ProposalPreview {
  proposal: Proposal;
  /** Unified diff, command line or note text. */
  text: string;
  /** Why the proposal would not apply as it stands (old text missing, path outside the repo...). */
  problem?: string;
}

/**
 * Renders each proposal against the repo as it is now, without writing anything: a dry run of each proposal on its
 * own, so one proposal's problem does not hide another's diff.
 */
export async function previewProposals(root: string, proposals: Proposal[]): Promise<ProposalPreview[]> {
  const previews: ProposalPreview[] = [];
  for (const proposal of proposals) {
    const outcome = await applyProposals(root, [{ ...proposal, after: [] }], { dryRun: true });
    const result = outcome.results[0];
    const text = describeChange(proposal, outcome.changes);
    const problem = result && !result.ok ? result.message : undefined;
    previews.push({ proposal, text, ...(problem ? { problem } : {}) });
  }
  return previews;
}
