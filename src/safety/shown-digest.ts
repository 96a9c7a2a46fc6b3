/**
 * A proposal's fingerprint as it was shown to a person: what `plan` printed or the guide displayed. `apply` runs an
 * 'ask' proposal only when its fingerprint is among the ones recorded as shown for its step, so a proposal that was
 * never shown, or changed after it was shown, does not run.
 */
import { sha256 } from '../core/hash.js';
import type { Proposal } from '../types/proposal.js';

/** JSON with object keys sorted, so the same proposal always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function proposalDigest(proposal: Proposal): string {
  return sha256(canonical(proposal));
}

export function shownDigests(proposals: readonly Proposal[]): string[] {
  return proposals.map(proposalDigest);
}
