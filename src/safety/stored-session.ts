/**
 * A stored session's proposals are re-validated when it is loaded: the file may come with the repository (anyone can
 * commit a .trace-guide/session.json), so nothing in it is trusted because it is there. Pure.
 *
 * - A proposal the safety policy rejects is dropped from its step, with every proposal that must come after it, and
 *   the reason is recorded in the session's history; it is never offered or run.
 * - The record of which proposals were shown is kept only when the session was written for this very folder; a
 *   session written elsewhere (copied or shipped with the repo) has to be planned and shown again before `apply`.
 */
import type { Session, StepRecord } from '../session/schema.js';
import { assessProposal } from './proposal-policy.js';

export interface RefusedProposal {
  step: StepRecord['id'];
  proposalId: string;
  reason: string;
}

function revalidateStep(step: StepRecord): { step: StepRecord; refused: RefusedProposal[] } {
  const why = new Map<string, string>();
  for (const p of step.proposals) {
    const verdict = assessProposal(p.change, 'session');
    if (verdict.decision === 'reject') why.set(p.id, verdict.reason);
  }
  // Whatever must come after a refused proposal goes with it.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of step.proposals) {
      const blocker = why.has(p.id) ? undefined : p.after.find((id) => why.has(id));
      if (blocker) {
        why.set(p.id, `it must come after ${blocker}, which was refused`);
        grew = true;
      }
    }
  }
  if (why.size === 0) return { step, refused: [] };
  const decisions = Object.fromEntries(Object.entries(step.decisions).filter(([id]) => !why.has(id)));
  return {
    step: { ...step, proposals: step.proposals.filter((p) => !why.has(p.id)), decisions },
    refused: [...why].map(([proposalId, reason]) => ({ step: step.id, proposalId, reason })),
  };
}

/** The session with refused proposals dropped (and logged at `now`), and the list of what was refused. */
export function revalidateStoredSession(
  session: Session,
  repoRoot: string,
  now: string,
): { session: Session; refused: RefusedProposal[] } {
  const sameFolder = session.repoRoot === repoRoot;
  const refused: RefusedProposal[] = [];
  const steps = session.steps.map((record) => {
    const checked = revalidateStep(record);
    refused.push(...checked.refused);
    return sameFolder ? checked.step : { ...checked.step, shown: [] };
  });
  const history = [
    ...session.history,
    ...refused.map((r) => ({
      at: now,
      step: r.step,
      event: 'proposal-refused',
      detail: `${r.proposalId}: ${r.reason}`,
    })),
  ];
  return { session: { ...session, steps, history }, refused };
}
