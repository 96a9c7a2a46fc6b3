import { usageError } from '../core/errors.js';
import { undoWrites, writesOfStep, type UndoOutcome } from '../edit/undo.js';
import type { Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';
import { STEP_ORDER } from '../skill/load.js';
import type { StepId } from '../skill/schema.js';
import { leftBehind, type LeftBehind } from './left-behind.js';

export interface UndoneSteps {
  session: Session;
  outcome: UndoOutcome;
  /** Steps returned to pending. */
  reopened: number[];
  /** Folders the undone steps' commands wrote into (node_modules/, a virtual environment) that undo leaves in place. */
  leftBehind: LeftBehind[];
}

/**
 * The steps whose state no longer holds once `undone` steps' changes are gone: those steps, and every later step with a
 * verdict or a plan (its checks ran with the undone changes in place). A step the user skipped stays skipped unless its
 * own changes were undone: a skip is a decision, not a proof.
 */
function stepsToReopen(session: Session, undone: ReadonlySet<StepId>): StepId[] {
  const first = session.steps.findIndex((s) => undone.has(s.id));
  if (first === -1) return [];
  return session.steps
    .filter(
      (s, i) =>
        undone.has(s.id) ||
        (i > first && s.outcome !== 'skipped' && (s.phase !== 'plan' || s.checks.length > 0 || s.outcome !== null)),
    )
    .map((s) => s.id);
}

/**
 * Undoes what trace-guide applied: every step (newest change first), or one step. One step is refused when a later
 * step wrote the same files after it — that step must be undone first — so no later change is lost.
 */
export async function undoSteps(
  workspace: Workspace,
  session: Session,
  options: { step?: number; force?: boolean } = {},
): Promise<UndoneSteps> {
  let writes = session.writes;
  if (options.step !== undefined) {
    const id = STEP_ORDER[options.step];
    if (!id) throw usageError(`there is no step ${options.step + 1}: steps are 1 to ${STEP_ORDER.length}`);
    const ofStep = writesOfStep(session.writes, id);
    if (ofStep.blockedBy.length > 0) {
      const later = [...new Set(ofStep.blockedBy.map((w) => STEP_ORDER.indexOf(w.step) + 1))];
      const files = [...new Set(ofStep.blockedBy.map((w) => w.path))];
      throw usageError(
        `step ${options.step + 1} cannot be undone alone: step ${later.join(', ')} changed ${files.join(', ')} after it`,
        `undo step ${later.join(', ')} first (trace-guide undo --step ${later[0]}), or undo everything (trace-guide undo)`,
      );
    }
    writes = ofStep.writes;
  }
  const outcome = await undoWrites(workspace.root, writes, { force: options.force ?? false });
  const undoneSteps = new Set(outcome.undone.map((w) => w.step));
  const left = await leftBehind(workspace.root, session, undoneSteps);
  let next = session;
  let reopened: number[] = [];
  if (outcome.undone.length > 0) {
    const reopen = stepsToReopen(session, undoneSteps);
    next = await dispatch(workspace, session, { type: 'undone', writes: outcome.undone, reopen });
    reopened = reopen.map((id) => STEP_ORDER.indexOf(id));
  }
  return { session: next, outcome, reopened, leftBehind: left };
}
