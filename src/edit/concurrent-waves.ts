/**
 * Which proposals may be applied at the same time: consecutive commands (in plan order) that run in folders apart from
 * each other (neither inside the other), touch none of the same files and do not wait for one another — the installs
 * of different services. Everything else is applied alone, in order.
 */
import type { Proposal } from '../types/proposal.js';
import { repoPath } from './safe-path.js';

type CommandChange = Extract<Proposal['change'], { kind: 'command' }>;

function folderOf(change: CommandChange): string {
  return repoPath(change.cwd);
}

function nested(a: string, b: string): boolean {
  return a === b || a === '.' || b === '.' || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

function independent(proposal: Proposal, wave: readonly Proposal[]): boolean {
  const change = proposal.change;
  if (change.kind !== 'command') return false;
  const folder = folderOf(change);
  const touches = new Set(change.touches.map(repoPath));
  return wave.every((other) => {
    const otherChange = other.change as CommandChange;
    return (
      !proposal.after.includes(other.id) &&
      !other.after.includes(proposal.id) &&
      !nested(folder, folderOf(otherChange)) &&
      !otherChange.touches.some((rel) => touches.has(repoPath(rel)))
    );
  });
}

/** `ordered` cut into waves, in order; with `sequential` (a dry run, or commands not run) every wave is one proposal. */
export function concurrentWaves(ordered: readonly Proposal[], sequential = false): Proposal[][] {
  const waves: Proposal[][] = [];
  for (const proposal of ordered) {
    const last = waves[waves.length - 1];
    if (!sequential && last && last[0]?.change.kind === 'command' && independent(proposal, last)) last.push(proposal);
    else waves.push([proposal]);
  }
  return waves;
}
