import type { ApplyResult } from '../../session/schema.js';

/**
 * The mark of one apply result in text output: ✓ only for a change trace-guide made, ✗ for one that did not apply, ✎
 * for a required note (trace-guide changed nothing and the user must: "needs your edit"), · for advice. A note is
 * never ✓.
 */
export function applyResultMark(result: ApplyResult): string {
  if (!result.ok) return '✗';
  if (result.status === 'needs-edit') return '✎';
  return result.status === 'advice' ? '·' : '✓';
}

/** One line per result: mark, proposal id, message. */
export function applyResultLine(result: ApplyResult): string {
  return `${applyResultMark(result)} ${result.proposalId}${result.message ? `: ${result.message}` : ''}`;
}
