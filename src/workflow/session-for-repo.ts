import { clearJournal, readJournal, removeStaleTemps, writesThatHappened } from '../edit/journal.js';
import { scanRepo } from '../repo/scan.js';
import { dispatch, findSession, startSession, type Workspace } from '../session/workspace.js';
import type { Session } from '../session/schema.js';

/**
 * The session the JSON commands work on: the one in the repo, or a new one from a fresh scan. Writes left in the apply
 * journal by a run that was stopped mid-apply are recovered first, so undo knows every pre-image.
 */
export async function sessionForRepo(
  workspace: Workspace,
): Promise<{ session: Session; started: boolean; recovered: number }> {
  const existing = await findSession(workspace);
  if (existing.kind === 'unusable') throw existing.error;
  let session: Session;
  let started = false;
  if (existing.kind === 'found') {
    session = existing.session;
  } else {
    session = (await startSession(workspace, await scanRepo(workspace.root))).session;
    started = true;
  }
  const recovered = await recoverJournal(workspace, session);
  return { session: recovered.session, started, recovered: recovered.count };
}

/**
 * Records in the session the journalled writes that reached the disk (following each path's chain of writes, so the
 * oldest pre-image is kept), removes the temp files the stopped run left, and clears the journal. Run it with the
 * session lock held, before anything else touches the session.
 */
export async function recoverJournal(
  workspace: Workspace,
  session: Session,
): Promise<{ session: Session; count: number }> {
  const journal = await readJournal(workspace.root);
  if (journal.length === 0) return { session, count: 0 };
  const known = new Set(session.writes.map((w) => `${w.path}\u0000${w.proposalId}\u0000${w.at}`));
  const missing = (await writesThatHappened(workspace.root, journal)).filter(
    (w) => !known.has(`${w.path}\u0000${w.proposalId}\u0000${w.at}`),
  );
  let next = session;
  if (missing.length > 0) next = await dispatch(workspace, session, { type: 'recovered', writes: missing });
  await removeStaleTemps(workspace.root, journal);
  await clearJournal(workspace.root);
  return { session: next, count: missing.length };
}
