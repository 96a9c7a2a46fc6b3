import type { Proposal } from '../plan/proposal.js';

/**
 * Orders proposals so that each comes after the ones it names in `after` (when they are in the list), keeping the given
 * order otherwise. A cycle is broken by the given order rather than dropping anything.
 */
export function orderProposals(proposals: readonly Proposal[]): Proposal[] {
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Proposal[] = [];
  const visit = (p: Proposal) => {
    if (done.has(p.id) || visiting.has(p.id)) return;
    visiting.add(p.id);
    for (const dep of p.after) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    visiting.delete(p.id);
    done.add(p.id);
    out.push(p);
  };
  for (const p of proposals) visit(p);
  return out;
}
