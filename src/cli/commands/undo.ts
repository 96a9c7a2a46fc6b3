import { openWorkspace } from '../../session/workspace.js';
import { sessionForRepo } from '../../workflow/session-for-repo.js';
import { formatBytes } from '../../workflow/left-behind.js';
import { undoSteps } from '../../workflow/undo-steps.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';

/** `trace-guide undo [--step N] [--force]`: restores the exact bytes of before (created files removed). */
export async function runUndo(args: ParsedArgs): Promise<number> {
  const workspace = await openWorkspace(args.dir);
  const { session } = await sessionForRepo(workspace);
  const { outcome, reopened, leftBehind } = await undoSteps(workspace, session, {
    ...(args.step !== undefined ? { step: args.step } : {}),
    force: args.force ?? false,
  });
  const restored = [...new Set(outcome.undone.map((w) => w.path))];
  if (args.json) {
    writeJson({
      ok: outcome.failed.length === 0,
      restored,
      failed: outcome.failed,
      keptAside: outcome.keptAside,
      reopenedSteps: reopened.map((i) => i + 1),
      notRemoved: leftBehind.map((l) => ({
        path: l.path,
        bytes: l.bytes,
        size: formatBytes(l.bytes),
        command: l.command,
      })),
    });
  } else if (outcome.failed.length > 0) {
    const done =
      restored.length > 0
        ? `Restored ${restored.length} file(s): ${restored.join(', ')}.\nNot restored`
        : 'Nothing was undone';
    writeText(`${done}:\n${outcome.failed.map((f) => `  ${f.path} ${f.message}`).join('\n')}`);
  } else if (restored.length === 0) {
    writeText(`Nothing to undo${args.step !== undefined ? ` for step ${args.step + 1}` : ''}.`);
  } else {
    const aside = Object.entries(outcome.keptAside)
      .map(([p, b]) => `\n  your version of ${p} is kept in ${b}`)
      .join('');
    const pending =
      reopened.length > 0
        ? `\nStep ${reopened.map((i) => i + 1).join(', ')} ${reopened.length > 1 ? 'are' : 'is'} pending again.`
        : '';
    const left = leftBehind
      .map(
        (l) =>
          `\n  ${l.path} (${formatBytes(l.bytes)}) is not removed: \`${l.command}\` wrote into it; delete it yourself if it was not there before`,
      )
      .join('');
    writeText(
      `Restored ${restored.length} file(s): ${restored.join(', ')}${aside}${pending}${left ? `\nLeft in place:${left}` : ''}`,
    );
  }
  // A file left as it was is the command's work not done, not a usage error.
  return outcome.failed.length === 0 ? EXIT.ok : EXIT.notDone;
}
