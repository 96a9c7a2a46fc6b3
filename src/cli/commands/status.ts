import { readJournal } from '../../edit/journal.js';
import { findSession, openWorkspace } from '../../session/workspace.js';
import { summarizeSession } from '../../session/summary.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatStatus } from '../format/status-text.js';
import { writeJson, writeText } from '../output.js';

/**
 * An apply stopped midway (killed, power cut) leaves its journal: status says so (it changes nothing itself); the next
 * command that works on the session (apply, undo, plan, check, the guide) records those writes, so undo restores them.
 */
function pendingJournalLine(count: number): string {
  return `An apply was interrupted: ${count} file write(s) are in its journal (.trace-guide/apply-journal.json). The next apply, undo, plan or check records them, so \`trace-guide undo\` can restore the originals.`;
}

export async function runStatus(args: ParsedArgs): Promise<number> {
  const workspace = await openWorkspace(args.dir);
  const existing = await findSession(workspace);
  if (existing.kind === 'unusable') throw existing.error;
  const pending = (await readJournal(workspace.root)).length;
  const pendingJournal = pending > 0 ? { writes: pending } : null;
  if (existing.kind === 'none') {
    if (args.json) writeJson({ ok: true, repo: workspace.root, session: null, pendingJournal });
    else
      writeText(
        `No trace-guide session in ${workspace.root}. Run \`trace-guide\` there to start one.${pending > 0 ? `\n${pendingJournalLine(pending)}` : ''}`,
      );
    return EXIT.ok;
  }
  const summary = summarizeSession(existing.session, workspace.skill, existing.drift);
  if (args.json) writeJson({ ok: true, repo: workspace.root, session: summary, pendingJournal });
  else writeText(`${formatStatus(summary)}${pending > 0 ? `\n\n${pendingJournalLine(pending)}` : ''}`);
  return EXIT.ok;
}
