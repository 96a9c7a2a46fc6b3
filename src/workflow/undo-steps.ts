import { usageError } from '../core/errors.js';
import { undoWrites, writesOfStep, type UndoOutcome } from '../edit/undo.js';
import type { Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';
import { STEP_ORDER } from '../skill/load.js';

export interface UndoneSteps {
  session: Session;
  outcome: UndoOutcome;
}

/**
 * Undoes what trace-guide applied: every step (newest change first), or one step. One step is refused when a later
 * step wrote the same files after it — that step must be undone first — so no later change is lost.
 */
export async function undoSteps(workspace: Workspace, session: Session, options: { step?: number; force?: boolean } = {}): Promise<UndoneSteps> {
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
  let next = session;
  if (outcome.undone.length > 0) next = await dispatch(workspace, session, { type: 'undone', writes: outcome.undone });
  return { session: next, outcome };
}
