/**
 * The doctor's fixes: which to apply, their diffs, and applying them through the same engine as the steps' proposals
 * (atomic writes, backups, journal), with the writes logged in the session under each fix's step, so `trace-guide
 * undo` restores them like any applied change.
 */
import { usageError } from '../core/errors.js';
import type { Finding } from '../doctor/finding.js';
import { applyProposals, type ApplyOutcome } from '../edit/apply.js';
import { clearJournal } from '../edit/journal.js';
import { previewProposals, type ProposalPreview } from '../edit/preview.js';
import type { Proposal } from '../types/proposal.js';
import type { Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';
import { sessionForRepo } from './session-for-repo.js';

/** The fixes to apply: every finding's proposals, or only the ids asked for (an unknown id is a usage error). */
export function chosenFixes(findings: readonly Finding[], only?: readonly string[]): Proposal[] {
  const all = findings.flatMap((f) => f.proposals);
  if (!only) return all.filter((p) => p.change.kind !== 'note');
  const unknown = only.filter((id) => !all.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw usageError(
      `the doctor proposed no fix ${unknown.join(', ')}`,
      `its fixes: ${all.map((p) => p.id).join(', ') || 'none'}`,
    );
  }
  return all.filter((p) => only.includes(p.id));
}

/** `session` defaults to the repo's session (started when there is none), with any interrupted apply recovered. */
export type PreviewedFinding = Finding & { previews: ProposalPreview[] };

/** Each finding with the diffs of its fixes against the repo as it is now. */
export function previewFindings(root: string, findings: readonly Finding[]): Promise<PreviewedFinding[]> {
  return Promise.all(findings.map(async (f) => ({ ...f, previews: await previewProposals(root, f.proposals) })));
}

export async function applyDoctorFixes(
  workspace: Workspace,
  fixes: Proposal[],
  session?: Session,
): Promise<{ session: Session; outcome: ApplyOutcome }> {
  let next = session ?? (await sessionForRepo(workspace)).session;
  // Built by the doctor's own code in this run: the safety policy still checks every command and path.
  const outcome = await applyProposals(workspace.root, fixes, { origin: 'doctor' });
  if (outcome.writes.length > 0) next = await dispatch(workspace, next, { type: 'fixed', writes: outcome.writes });
  await clearJournal(workspace.root);
  return { session: next, outcome };
}
