/**
 * The one safety policy every proposal passes where it is applied: pure, no I/O. Input: a proposed change and where it
 * came from; output: allow, ask (apply only once a person has been shown it) or reject, with the reason.
 *
 * - Commands must pass the command allow-list (command-policy.ts); the verdict carries the argv chain to run.
 * - Edits, new files and deletions must name a path that stays inside the repo (absolute paths, `..` escapes,
 *   .trace-guide/ and .git/ are refused; apply then resolves symlinks with resolveInRepo), and never a package
 *   manager's configuration file (.npmrc, pip.conf, …: they would change where installs come from).
 * - Proposals the model made, and proposals read back from a stored session (a repository can ship one), are 'ask':
 *   they run only when the plan that contains them was shown. Recipes' and the doctor's proposals, built by
 *   trace-guide's own code in this run, are 'allow'.
 */
import type { ProposalChange } from '../types/proposal.js';
import { checkCommand } from './command-policy.js';

export type ProposalOrigin = 'recipe' | 'doctor' | 'model' | 'session';

export type PolicyVerdict =
  | { decision: 'allow'; chain?: string[][] }
  | { decision: 'ask'; reason: string; chain?: string[][] }
  | { decision: 'reject'; reason: string };

/** Folders no proposal may touch: trace-guide's own state and git's. */
const RESERVED_DIRS = ['.trace-guide', '.git'];

/** Files that tell a package manager where to install from, which registry, or which shell runs its scripts. */
const PACKAGE_MANAGER_CONFIG = new Set([
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  'bunfig.toml',
  'pip.conf',
  'pip.ini',
  '.pypirc',
  'uv.toml',
  'poetry.toml',
  '.netrc',
]);

/** Why a repo-relative path may not be written, or undefined when its shape is fine. */
export function repoPathProblem(rel: string): string | undefined {
  if (rel === '' || rel.includes('\0')) return `"${rel}" is not a path`;
  const posix = rel.replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[A-Za-z]:/.test(posix) || posix.startsWith('~'))
    return `"${rel}" is not a path relative to the repo root`;
  const parts: string[] = [];
  for (const part of posix.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return `"${rel}" is outside the repo`;
      parts.pop();
    } else parts.push(part);
  }
  if (parts.length === 0) return `"${rel}" is the repo root, not a file`;
  if (RESERVED_DIRS.includes(parts[0]!)) return `"${rel}" is inside ${parts[0]}/, which trace-guide never edits`;
  return undefined;
}

function folderProblem(rel: string): string | undefined {
  const normal = rel.replace(/\\/g, '/').replace(/\/+$/, '');
  return normal === '' || normal === '.' ? undefined : repoPathProblem(normal);
}

const WHY_ASK: Record<'model' | 'session', string> = {
  model:
    'proposed by the model: it is applied only after the plan that contains it was shown (trace-guide plan, or the guide)',
  session:
    'read from the stored session: it is applied only after the plan that contains it was shown in this repo (trace-guide plan, or the guide)',
};

function withOrigin(origin: ProposalOrigin, chain?: string[][]): PolicyVerdict {
  const extra = chain ? { chain } : {};
  if (origin === 'model' || origin === 'session') return { decision: 'ask', reason: WHY_ASK[origin], ...extra };
  return { decision: 'allow', ...extra };
}

export function assessProposal(change: ProposalChange, origin: ProposalOrigin): PolicyVerdict {
  switch (change.kind) {
    case 'note':
      return { decision: 'allow' };
    case 'edit':
    case 'create':
    case 'delete': {
      const problem = repoPathProblem(change.path);
      if (problem) return { decision: 'reject', reason: problem };
      const base = change.path.replace(/\\/g, '/').split('/').pop()!;
      if (PACKAGE_MANAGER_CONFIG.has(base)) {
        return {
          decision: 'reject',
          reason: `${change.path} configures a package manager (registry, scripts); trace-guide never writes it`,
        };
      }
      return withOrigin(origin);
    }
    case 'command': {
      const cwdProblem = folderProblem(change.cwd);
      if (cwdProblem) return { decision: 'reject', reason: `the command's folder: ${cwdProblem}` };
      for (const touched of change.touches) {
        const problem = repoPathProblem(touched);
        if (problem) return { decision: 'reject', reason: `a file the command touches: ${problem}` };
      }
      const verdict = checkCommand(change.command);
      if (!verdict.ok) return { decision: 'reject', reason: `\`${change.command}\` is not allowed: ${verdict.reason}` };
      return withOrigin(origin, verdict.chain);
    }
  }
}
