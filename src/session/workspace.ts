import { randomUUID } from 'node:crypto';
import { usageError } from '../core/errors.js';
import { resolveRepoRoot } from '../repo/resolve-root.js';
import type { ScanResult } from '../types/scan.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import { detectDrift, type Drift } from './drift.js';
import { createSession, reduce, type SessionEvent } from './machine.js';
import type { Session } from './schema.js';
import { backupSession, loadSession, saveSession, SessionFileError } from './store.js';

/** A repo opened for guiding: where it is and the skill that guides it. */
export interface Workspace {
  root: string;
  skill: Skill;
}

export type ExistingSession =
  | { kind: 'none' }
  | { kind: 'found'; session: Session; drift: Drift[] }
  | { kind: 'unusable'; error: SessionFileError };

export async function openWorkspace(dir: string, skillDir: string = defaultSkillDir()): Promise<Workspace> {
  const root = await resolveRepoRoot(dir);
  const skill = await loadSkill(skillDir);
  return { root, skill };
}

/** The session kept in the repo, if any, with the drift of the files it wrote; an unusable file is reported, not thrown. */
export async function findSession(workspace: Workspace): Promise<ExistingSession> {
  let session: Session | undefined;
  try {
    session = await loadSession(workspace.root);
  } catch (error) {
    if (error instanceof SessionFileError) return { kind: 'unusable', error };
    throw error;
  }
  if (!session) return { kind: 'none' };
  return { kind: 'found', session, drift: await detectDrift(workspace.root, session) };
}

/** Starts a new session; a session file already there (readable or not) is kept as a backup first. */
export async function startSession(
  workspace: Workspace,
  scan: ScanResult,
  now: Date = new Date(),
): Promise<{ session: Session; backup: string | undefined }> {
  const backup = await backupSession(workspace.root, now);
  const session = createSession({
    id: randomUUID(),
    now: now.toISOString(),
    repoRoot: workspace.root,
    skill: { id: workspace.skill.id, version: workspace.skill.version },
    scan,
  });
  await saveSession(workspace.root, session);
  return { session, backup };
}

/** Runs one event through the state machine and saves the result; an illegal event is a usage error. */
export async function dispatch(
  workspace: Workspace,
  session: Session,
  event: SessionEvent,
  now: Date = new Date(),
): Promise<Session> {
  const result = reduce(session, event, now.toISOString());
  if (!result.ok) throw usageError(result.error);
  const next = { ...result.session, repoRoot: workspace.root };
  await saveSession(workspace.root, next);
  return next;
}
