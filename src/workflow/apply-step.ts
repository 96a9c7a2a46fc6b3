import { usageError } from '../core/errors.js';
import type { Recipe } from '../plan/recipe.js';
import { applyProposals, type ApplyOutcome, type ApplyProgress } from '../edit/apply.js';
import { commitPaths, dirtyFiles, isGitWorkTree, isTrackedByGit } from '../edit/git.js';
import { clearJournal } from '../edit/journal.js';
import { previewProposals, type ProposalPreview } from '../edit/preview.js';
import { accepted, currentStep } from '../session/machine.js';
import type { Session } from '../session/schema.js';
import { dispatch, type Workspace } from '../session/workspace.js';
import { getStep } from '../skill/lookup.js';
import { planStepAt } from './plan-step.js';
import { assessProposal } from '../safety/proposal-policy.js';
import { proposalDigest, shownDigests } from '../safety/shown-digest.js';
import type { Proposal } from '../types/proposal.js';
import type { StepRecord } from '../session/schema.js';
import { SESSION_FILE, STATE_DIR } from '../session/store.js';

/**
 * The fingerprints of what was shown for a stored step, as far as they can be believed: none when git tracks the session
 * file (it came with the repository, so anyone could have written it; trace-guide's own state folder is git-ignored).
 */
export async function trustedShown(root: string, step: StepRecord): Promise<string[]> {
  return (await isTrackedByGit(root, `${STATE_DIR}/${SESSION_FILE}`)) ? [] : step.shown;
}

/**
 * The proposals of a stored plan that may not apply without being shown and were not (a session copied from elsewhere
 * or shipped with the repo, a plan made by `apply` itself): `apply` shows them and stops instead of applying.
 */
export function unshownProposals(
  step: StepRecord,
  only?: readonly string[],
  shownList: readonly string[] = step.shown,
): Proposal[] {
  const shown = new Set(shownList);
  return step.proposals.filter(
    (p) =>
      (!only || only.includes(p.id)) &&
      assessProposal(p.change, 'session').decision === 'ask' &&
      !shown.has(proposalDigest(p)),
  );
}

export interface ApplyStepOptions {
  /** Apply only these proposal ids (the others are rejected); default: all. */
  only?: string[];
  dryRun?: boolean;
  /** Commit the files the step wrote as one git commit. */
  commit?: boolean;
  runCommands?: boolean;
  /** Recipes to plan with when the step has not been planned (default: the built-in ones). */
  recipes?: readonly Recipe[];
  /**
   * The caller planned the step in this run with the recipes (not shown to anyone): its proposals are applied as the
   * recipes' own. Otherwise the step's proposals were read from the session and apply only as far as they were shown.
   */
  plannedNow?: boolean;
  /** The guide displayed the step's proposals for review before this apply: they count as shown. */
  reviewed?: boolean;
  onProgress?: (event: ApplyProgress) => void;
}

export interface AppliedStep {
  session: Session;
  index: number;
  /** Files with uncommitted changes before applying (undefined outside git). */
  dirty: string[] | undefined;
  outcome: ApplyOutcome | undefined;
  previews: ProposalPreview[];
  commit?: string;
  /** Why git did not commit the written files (a hook refused, no identity...): they are written and staged. */
  commitError?: string;
}

/**
 * Applies step `index`: plans it first when it has no proposals yet, accepts the chosen proposals (all, or `only`) and
 * rejects the rest, applies them and records the writes in the session. A dry run changes neither files nor session.
 */
export async function applyStepAt(
  workspace: Workspace,
  session: Session,
  index: number,
  options: ApplyStepOptions = {},
): Promise<AppliedStep> {
  let next = session;
  let plannedNow = options.plannedNow ?? false;
  if (next.current !== index || !['review', 'apply'].includes(currentStep(next).phase)) {
    // Planned here with the recipes: trace-guide's own, deterministic proposals, which the policy allows unshown.
    next = (await planStepAt(workspace, next, index, options.recipes ? { recipes: options.recipes } : {})).session;
    plannedNow = true;
  }
  let step = currentStep(next);
  if (options.only) {
    const unknown = options.only.filter((id) => !step.proposals.some((p) => p.id === id));
    if (unknown.length > 0) {
      throw usageError(
        `step ${index + 1} has no proposal ${unknown.join(', ')}`,
        `its proposals: ${step.proposals.map((p) => p.id).join(', ') || 'none'}`,
      );
    }
  }
  const chosen = step.proposals.filter((p) => !options.only || options.only.includes(p.id));
  const dirty = await dirtyFiles(workspace.root);

  if (options.dryRun) {
    return {
      session: next,
      index,
      dirty,
      outcome: undefined,
      previews: await previewProposals(workspace.root, chosen),
    };
  }

  if (options.commit && !(await isGitWorkTree(workspace.root))) {
    // Checked before anything is written: a commit that cannot happen must not leave files written and half-reported.
    throw usageError(
      `--commit needs a git repository, and ${workspace.root} is not in a git work tree`,
      'run without --commit, or `git init` first',
    );
  }

  if (step.phase === 'apply') {
    // An apply that was interrupted (or left by the guide) holds the accepted set of that run: go back to review, so
    // what is applied now is exactly what this call chose (all, or `only`).
    next = await dispatch(workspace, next, { type: 'back' });
    step = currentStep(next);
  }
  if (step.phase === 'review') {
    for (const proposal of step.proposals) {
      const decision = chosen.includes(proposal) ? 'accepted' : 'rejected';
      if (step.decisions[proposal.id] !== decision) {
        next = await dispatch(workspace, next, { type: 'decide', proposalId: proposal.id, decision });
      }
    }
    next = await dispatch(workspace, next, { type: 'next' });
    step = currentStep(next);
  }
  const toApply = accepted(step);
  const outcome = await applyProposals(workspace.root, toApply, {
    // Read back from the session: 'ask' proposals apply only when they were shown (by `plan` or the guide).
    ...(plannedNow
      ? {}
      : {
          origin: 'session' as const,
          shown: options.reviewed ? shownDigests(step.proposals) : await trustedShown(workspace.root, step),
        }),
    ...(options.runCommands !== undefined ? { runCommands: options.runCommands } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  next = await dispatch(workspace, next, { type: 'applied', results: outcome.results, writes: outcome.writes });
  await clearJournal(workspace.root);

  let commit: string | undefined;
  let commitError: string | undefined;
  if (options.commit && outcome.writes.length > 0) {
    const title = getStep(workspace.skill, step.id).title;
    const paths = [...new Set(outcome.writes.map((w) => w.path))];
    const ids = toApply
      .filter((p) => outcome.results.some((r) => r.proposalId === p.id && r.ok))
      .map((p) => `- ${p.title}`);
    try {
      commit = await commitPaths(
        workspace.root,
        paths,
        `trace-guide step ${index + 1}: ${title}\n\n${ids.join('\n')}\n`,
      );
    } catch (error) {
      // The files are written and recorded (undo knows them); only the commit failed. Said as it is, not as a crash.
      commitError = `git did not commit the written files, which are written and staged: ${(error as Error).message.trim()}`;
    }
  }
  return {
    session: next,
    index,
    dirty,
    outcome,
    previews: [],
    ...(commit ? { commit } : {}),
    ...(commitError ? { commitError } : {}),
  };
}
