import type { Proposal } from '../types/proposal.js';

/**
 * Orders proposals so that each comes after the ones it names in `after` (when they are in the list), and so that file
 * changes come before commands whenever `after` allows it: a command such as `npm install` may rewrite a file another
 * proposal of the same apply edits (npm reformats a one-line package.json), and an exact-text edit planned against the
 * file as it was would then no longer match. Made first, the edit is part of what the command reads and rewrites.
 * Otherwise the given order is kept; a cycle is broken by the given order rather than dropping anything.
 */
export function orderProposals(proposals: readonly Proposal[]): Proposal[] {
  const byId = new Map(proposals.map((p) => [p.id, p]));
  // Everything a proposal needs first, directly or through others (cycles cut where they close).
  const needs = new Map<string, Set<string>>();
  const collect = (p: Proposal, into: Set<string>, path: Set<string>) => {
    for (const dep of p.after) {
      const d = byId.get(dep);
      if (!d || into.has(d.id) || path.has(d.id)) continue;
      into.add(d.id);
      path.add(d.id);
      collect(d, into, path);
      path.delete(d.id);
    }
  };
  for (const p of proposals) {
    const into = new Set<string>();
    collect(p, into, new Set([p.id]));
    into.delete(p.id);
    needs.set(p.id, into);
  }

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
  // First every proposal that runs no command and needs no command first, then the rest in the given order.
  const needsCommand = (p: Proposal) =>
    p.change.kind === 'command' || [...(needs.get(p.id) ?? [])].some((id) => byId.get(id)?.change.kind === 'command');
  for (const p of proposals) if (!needsCommand(p)) visit(p);
  for (const p of proposals) visit(p);
  return out;
}
