import { usageError } from '../../core/errors.js';
import { currentStep, pendingNotes } from '../../session/machine.js';
import { applyResultLine } from '../format/apply-result-mark.js';
import { dispatch, openWorkspace } from '../../session/workspace.js';
import { getStep } from '../../skill/lookup.js';
import { STEP_ORDER } from '../../skill/load.js';
import { applyStepAt, trustedShown, unshownProposals } from '../../workflow/apply-step.js';
import { previewProposals, type ProposalPreview } from '../../edit/preview.js';
import { shownDigests } from '../../safety/shown-digest.js';
import { parseInputAssignments } from '../../workflow/inputs.js';
import { choosePlanner, formatPlannerUsage, planStepAt } from '../../workflow/plan-step.js';
import { sessionForRepo } from '../../workflow/session-for-repo.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatProposals, proposalJson } from '../format/proposals-text.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide apply --step N --yes`: applies the step's proposals (all, or --only ids). Never without --yes, which the
 * user typed; --dry-run shows the diffs and changes nothing. A step not planned yet is planned first: with the recipes
 * (trace-guide's own proposals) it is applied at once; with the model it is shown, recorded as shown, and not applied.
 * A stored plan is applied only as far as it was shown (by `plan` or the guide); otherwise it is shown and not applied.
 */
export async function runApply(args: ParsedArgs): Promise<number> {
  if (args.done) return runMarkNotesDone(args);
  if (!args.yes && !args.dryRun) {
    throw usageError(
      'apply changes files only with --yes',
      'add --yes to apply, or --dry-run to see the changes first',
    );
  }
  const planner = choosePlanner(args);
  const workspace = await openWorkspace(args.dir);
  const inputs = parseInputAssignments(workspace.skill, args.set ?? []);
  let { session } = await sessionForRepo(workspace);
  const index = args.step ?? session.current;
  let planned: Awaited<ReturnType<typeof planStepAt>> | undefined;
  const step = getStep(workspace.skill, STEP_ORDER[index]!);
  // Plan here (rather than inside applyStepAt) when the step needs planning, so the chosen planner is used.
  const needsPlan = session.current !== index || !['review', 'apply'].includes(currentStep(session).phase);
  if (Object.keys(inputs).length > 0 || needsPlan) {
    if (planner.kind === 'model')
      progress(
        `planning step ${index + 1} with the model planner (${planner.model}); --offline uses the built-in recipes`,
      );
    // A model's plan is applied only after it was shown: a dry run shows it; a real apply shows it and stops.
    const shows = planner.kind === 'model';
    planned = await planStepAt(workspace, session, index, { inputs, planner, shown: shows });
    session = planned.session;
    if (planned.usage && !args.json) progress(`planner: model — ${formatPlannerUsage(planned.usage)}`);
    if (shows && !args.dryRun) {
      return showInsteadOfApplying(
        args,
        index,
        step.title,
        planned.previews,
        { planner: planned.planner, usage: planned.usage ?? null },
        'they were just planned with the model',
      );
    }
  } else if (
    !args.dryRun &&
    unshownProposals(currentStep(session), args.only, await trustedShown(workspace.root, currentStep(session))).length >
      0
  ) {
    // A stored plan nobody was shown (a session copied from elsewhere or shipped with the repo): show it and stop.
    const proposals = currentStep(session).proposals;
    session = await dispatch(workspace, session, { type: 'replan' });
    session = await dispatch(workspace, session, {
      type: 'proposals-ready',
      proposals,
      shown: shownDigests(proposals),
    });
    const previews = await previewProposals(workspace.root, proposals);
    return showInsteadOfApplying(
      args,
      index,
      step.title,
      previews,
      {},
      'they come from a stored session that did not record them as shown in this folder',
    );
  }
  const plannerJson = planned ? { planner: planned.planner, usage: planned.usage ?? null } : {};
  const result = await applyStepAt(workspace, session, index, {
    plannedNow: planned !== undefined && planned.planner === 'recipes',
    ...(args.only ? { only: args.only } : {}),
    dryRun: args.dryRun ?? false,
    commit: args.commit ?? false,
    onProgress: args.json
      ? undefined
      : (event) => {
          if (event.type === 'start' && event.proposal.change.kind === 'command')
            progress(`running: ${event.proposal.change.command}`);
        },
  });
  if (result.dirty && result.dirty.length > 0 && !args.dryRun) {
    progress(
      `note: the git tree had uncommitted changes before applying (${result.dirty.length} file(s)); undo restores only what trace-guide wrote`,
    );
  }
  if (!result.outcome) {
    if (args.json)
      writeJson({
        ok: true,
        dryRun: true,
        step: { number: index + 1, id: step.id },
        ...plannerJson,
        proposals: result.previews.map(proposalJson),
      });
    else
      writeText(
        `Dry run of step ${index + 1} — ${step.title}: nothing was changed.\n\n${formatProposals(result.previews)}`,
      );
    return EXIT.ok;
  }
  const failed = result.outcome.results.filter((r) => !r.ok);
  const needsEdit = result.outcome.results.filter((r) => r.status === 'needs-edit');
  const advice = result.outcome.results.filter((r) => r.status === 'advice');
  const openNotes = pendingNotes(result.session.steps[index]!).map((p) => p.id);
  if (args.json) {
    writeJson({
      ok: failed.length === 0 && !result.commitError && openNotes.length === 0,
      needsYourEdit: needsEdit.map((r) => r.proposalId),
      advice: advice.map((r) => r.proposalId),
      requiredNotesOpen: openNotes,
      step: { number: index + 1, id: step.id, phase: result.session.steps[index]!.phase },
      ...plannerJson,
      results: result.outcome.results,
      written: result.outcome.writes.map((w) => ({
        path: w.path,
        created: w.before === null,
        deleted: w.after === null,
      })),
      dirtyBefore: result.dirty ?? null,
      ...(result.commit ? { commit: result.commit } : {}),
      ...(result.commitError ? { commit: null, commitError: result.commitError } : {}),
    });
  } else {
    const lines = result.outcome.results.map(applyResultLine);
    const files = [...new Set(result.outcome.writes.map((w) => w.path))];
    writeText(
      `Step ${index + 1} — ${step.title}\n${lines.join('\n')}\n\n${files.length} file(s) written${files.length ? `: ${files.join(', ')}` : ''}.` +
        (result.commit ? `\nCommitted as ${result.commit}.` : '') +
        (result.commitError ? `\nNot committed: ${result.commitError}` : '') +
        (failed.length
          ? `\n${failed.length} proposal(s) did not apply; re-plan with \`trace-guide plan --step ${index + 1}\`.`
          : '') +
        (needsEdit.length
          ? `\n${needsEdit.length} note(s) need your edit (✎): trace-guide changed nothing for them.`
          : '') +
        (advice.length ? `\n${advice.length} note(s) of advice (·): nothing was changed for them.` : '') +
        (openNotes.length
          ? `\nThe step cannot be proven until you make ${openNotes.length === 1 ? 'that change' : 'those changes'} and mark ${openNotes.length === 1 ? 'it' : 'them'} done: trace-guide apply --step ${index + 1} --only ${openNotes.join(',')} --done`
          : '') +
        `\nUndo with: trace-guide undo --step ${index + 1}`,
    );
  }
  // A proposal that did not apply (or a refused commit) is the work not done, not a usage error.
  // A required note still open is work not done too (the step cannot be proven): never a plain success.
  return failed.length === 0 && !result.commitError && openNotes.length === 0 ? EXIT.ok : EXIT.notDone;
}

/**
 * `apply --step N --only <note-id> --done`: the user made the changes these notes asked for. Nothing is written; the
 * session records them as done, so the step can be proven by its checks.
 */
async function runMarkNotesDone(args: ParsedArgs): Promise<number> {
  const workspace = await openWorkspace(args.dir);
  let { session } = await sessionForRepo(workspace);
  const index = args.step ?? session.current;
  if (session.current !== index) session = await dispatch(workspace, session, { type: 'goto', index });
  for (const id of args.only ?? []) {
    const proposals = session.steps[index]!.proposals;
    if (!proposals.some((p) => p.id === id))
      throw usageError(
        `step ${index + 1} has no proposal ${id}`,
        `its proposals: ${proposals.map((p) => p.id).join(', ') || 'none'}`,
      );
    session = await dispatch(workspace, session, { type: 'note-done', proposalId: id });
  }
  const open = pendingNotes(session.steps[index]!).map((p) => p.id);
  if (args.json) {
    writeJson({
      ok: true,
      step: { number: index + 1, id: STEP_ORDER[index]! },
      notesDone: args.only ?? [],
      requiredNotesOpen: open,
    });
  } else {
    writeText(
      `Step ${index + 1}: marked done by hand: ${(args.only ?? []).join(', ')}.` +
        (open.length
          ? `\nStill open: ${open.join(', ')}.`
          : `\nRun \`trace-guide check --step ${index + 1}\` to prove the step.`),
    );
  }
  return EXIT.ok;
}

/**
 * `apply --yes` on proposals nobody has seen: prints them (now recorded as shown in the session), applies nothing and
 * says so. Exit 1 (notDone): the command line was right, the work is not done yet; the way on is to review and run it again.
 */
function showInsteadOfApplying(
  args: ParsedArgs,
  index: number,
  title: string,
  previews: ProposalPreview[],
  plannerJson: object,
  why: string,
): number {
  const again = `trace-guide apply --step ${index + 1} --yes${args.only ? ` --only ${args.only.join(',')}` : ''}`;
  const message = `nothing was applied: proposals are applied only after they were shown, and ${why}. Review them, then run \`${again}\` to apply exactly these`;
  if (args.json) {
    writeJson({
      ok: false,
      applied: false,
      reason: 'not-shown',
      message,
      step: { number: index + 1, id: STEP_ORDER[index]! },
      ...plannerJson,
      proposals: previews.map(proposalJson),
    });
  } else {
    writeText(`Step ${index + 1} — ${title}: ${message}.\n\n${formatProposals(previews)}`);
  }
  return EXIT.notDone;
}
