import type { ApplyResult } from '../../session/schema.js';

/**
 * The mark of one apply result in text output: ✓ only for a change trace-guide made, ✗ for one that did not apply, ✎
 * for a note — trace-guide changed nothing and the user must ("needs your edit"), so it is never ✓.
 */
export function applyResultMark(result: ApplyResult): string {
  if (!result.ok) return '✗';
  return result.status === 'needs-edit' ? '✎' : '✓';
}

/** One line per result: mark, proposal id, message. */
export function applyResultLine(result: ApplyResult): string {
  return `${applyResultMark(result)} ${result.proposalId}${result.message ? `: ${result.message}` : ''}`;
}
