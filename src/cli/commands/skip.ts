import { usageError } from '../../core/errors.js';
import { summarizeSession } from '../../session/summary.js';
import { openWorkspace } from '../../session/workspace.js';
import { sessionForRepo } from '../../workflow/session-for-repo.js';
import { skipStepAt } from '../../workflow/skip-step.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';

/** `trace-guide skip [dir] --step N --reason "…"`: the guide's skip-with-reason, for CI and agents. */
export async function runSkip(args: ParsedArgs): Promise<number> {
  if (args.step === undefined)
    throw usageError(
      'skip needs --step N (1 to 6)',
      'for example: trace-guide skip --step 5 --reason "sampling is set by the platform"',
    );
  if (args.reason === undefined)
    throw usageError('skip needs --reason "…": a skipped step is recorded with why it was skipped');
  const workspace = await openWorkspace(args.dir);
  const { session } = await sessionForRepo(workspace);
  const next = await skipStepAt(workspace, session, args.step, args.reason);
  const step = next.steps[args.step]!;
  const record = step.skips.at(-1)!;
  const summary = summarizeSession(next, workspace.skill, []);
  if (args.json) {
    writeJson({ ok: true, step: args.step + 1, id: step.id, skip: record, current: summary.current });
  } else {
    const unproven = record.unverified.length > 0 ? `; not proven: ${record.unverified.join(', ')}` : '';
    writeText(
      `Step ${args.step + 1} (${summary.steps[args.step]!.title}) skipped: ${record.reason ?? ''}${unproven}\n${summary.finished ? 'Every step is now proven or skipped.' : `Now at step ${summary.current.number} (${summary.current.title}).`}`,
    );
  }
  return EXIT.ok;
}
