import { openWorkspace } from '../../session/workspace.js';
import { sessionForRepo } from '../../workflow/session-for-repo.js';
import { undoSteps } from '../../workflow/undo-steps.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';

/** `trace-guide undo [--step N] [--force]`: restores the exact bytes of before (created files removed). */
export async function runUndo(args: ParsedArgs): Promise<number> {
  const workspace = await openWorkspace(args.dir);
  const { session } = await sessionForRepo(workspace);
  const { outcome } = await undoSteps(workspace, session, {
    ...(args.step !== undefined ? { step: args.step } : {}),
    force: args.force ?? false,
  });
  const restored = [...new Set(outcome.undone.map((w) => w.path))];
  if (args.json) {
    writeJson({ ok: outcome.failed.length === 0, restored, failed: outcome.failed, keptAside: outcome.keptAside });
  } else if (outcome.failed.length > 0) {
    writeText(`Nothing was undone:\n${outcome.failed.map((f) => `  ${f.path} ${f.message}`).join('\n')}`);
  } else if (restored.length === 0) {
    writeText(`Nothing to undo${args.step !== undefined ? ` for step ${args.step + 1}` : ''}.`);
  } else {
    const aside = Object.entries(outcome.keptAside).map(([p, b]) => `\n  your version of ${p} is kept in ${b}`).join('');
    writeText(`Restored ${restored.length} file(s): ${restored.join(', ')}${aside}`);
  }
  return outcome.failed.length === 0 ? EXIT.ok : EXIT.usage;
}
