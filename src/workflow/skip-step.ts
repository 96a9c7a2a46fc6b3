import { usageError } from '../core/errors.js';
import type { Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';
import { getStep } from '../skill/lookup.js';
import { requiredCheckIds } from '../session/required-checks.js';

/**
 * Skips step `index` with the user's reason, exactly as the guide's skip does: the session's `skip` event records when,
 * in which phase, which required checks were not proven and why; the step reads "skipped" from then on (also after it
 * is proven later) and the session moves on to the next step. A step already proven or skipped is not skipped again.
 */
export async function skipStepAt(
  workspace: Workspace,
  session: Session,
  index: number,
  reason: string,
): Promise<Session> {
  const why = reason.trim();
  if (!why)
    throw usageError(
      'skipping a step needs a reason',
      'for example: --reason "traces go to the platform team\'s collector"',
    );
  const step = session.steps[index];
  if (!step) throw usageError(`there is no step ${index + 1}`);
  const title = getStep(workspace.skill, step.id).title;
  if (step.outcome === 'verified')
    throw usageError(`step ${index + 1} (${title}) is already proven; there is nothing to skip`);
  if (step.outcome === 'skipped') throw usageError(`step ${index + 1} (${title}) is already skipped`);
  let next = session;
  if (next.current !== index) next = await dispatch(workspace, next, { type: 'goto', index });
  const required = requiredCheckIds(workspace.skill, step.id, next.inputs);
  return dispatch(workspace, next, { type: 'skip', confirmed: true, required, reason: why });
}
