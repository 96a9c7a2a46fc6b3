import { findSession, openWorkspace } from '../../session/workspace.js';
import { summarizeSession } from '../../session/summary.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatStatus } from '../format/status-text.js';
import { writeJson, writeText } from '../output.js';

export async function runStatus(args: ParsedArgs): Promise<number> {
  const workspace = await openWorkspace(args.dir);
  const existing = await findSession(workspace);
  if (existing.kind === 'unusable') throw existing.error;
  if (existing.kind === 'none') {
    if (args.json) writeJson({ ok: true, repo: workspace.root, session: null });
    else writeText(`No trace-guide session in ${workspace.root}. Run \`trace-guide\` there to start one.`);
    return EXIT.ok;
  }
  const summary = summarizeSession(existing.session, workspace.skill, existing.drift);
  if (args.json) writeJson({ ok: true, repo: workspace.root, session: summary });
  else writeText(formatStatus(summary));
  return EXIT.ok;
}
