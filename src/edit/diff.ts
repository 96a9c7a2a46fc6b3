import { createTwoFilesPatch } from 'diff';
import type { Proposal } from '../types/proposal.js';
import type { FileChange } from './apply.js';

/** A unified diff of one file change (`a/`, `b/` prefixes; /dev/null for a created or deleted file). */
export function unifiedDiff(change: Pick<FileChange, 'path' | 'before' | 'after'>, context = 3): string {
  const oldName = change.before === null ? '/dev/null' : `a/${change.path}`;
  const newName = change.after === null ? '/dev/null' : `b/${change.path}`;
  const patch = createTwoFilesPatch(oldName, newName, change.before ?? '', change.after ?? '', undefined, undefined, {
    context,
  });
  // The diff library starts with an "Index"/"====" header pair; the unified format needs only ---/+++.
  return (
    patch
      .split('\n')
      .filter((line) => !line.startsWith('===') && !line.startsWith('Index:'))
      .join('\n')
      .trimEnd() + '\n'
  );
}

/** What a proposal does, as text a reviewer reads: a diff for file changes, the command line, or the note. */
export function describeChange(proposal: Proposal, fileChanges: readonly FileChange[]): string {
  const change = proposal.change;
  switch (change.kind) {
    case 'command':
      return `$ ${change.command}${change.cwd !== '.' ? `   (in ${change.cwd})` : ''}\n`;
    case 'note':
      return change.text.endsWith('\n') ? change.text : `${change.text}\n`;
    default: {
      const mine = fileChanges.filter((c) => c.proposalId === proposal.id);
      return mine.map((c) => unifiedDiff(c)).join('');
    }
  }
}
