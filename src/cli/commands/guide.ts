import { usageError } from '../../core/errors.js';
import { scanRepo } from '../../repo/scan.js';
import { findSession, openWorkspace, startSession } from '../../session/workspace.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progress } from '../output.js';

export function requireTerminal(): void {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw usageError(
      'the interactive guide needs a terminal, and stdin or stdout is not one',
      'use the JSON commands instead: `trace-guide scan --json`, `trace-guide status --json` (see --help)',
    );
  }
}

/** `trace-guide [dir]` and `trace-guide resume [dir]`: the interactive guide. */
export async function runGuide(args: ParsedArgs): Promise<number> {
  if (args.json) throw usageError('the guide is interactive: --json belongs to scan and status');
  requireTerminal();
  const workspace = await openWorkspace(args.dir);
  const existing = await findSession(workspace);
  if (args.command === 'resume') {
    if (existing.kind === 'unusable') throw existing.error;
    if (existing.kind === 'none') {
      throw usageError(`there is no session to resume in ${workspace.root}`, 'run `trace-guide` there to start one');
    }
  }
  progress(`Scanning ${workspace.root} …`);
  const scan = existing.kind === 'found' && args.command === 'resume' ? existing.session.scan : await scanRepo(workspace.root);
  const { renderGuide } = await import('../../ui/render.js');
  await renderGuide({
    repoRoot: workspace.root,
    skill: workspace.skill,
    scan,
    existing,
    mode: args.command === 'resume' ? 'resume' : 'ask',
    actions: { start: () => startSession(workspace, scan) },
  });
  return EXIT.ok;
}
