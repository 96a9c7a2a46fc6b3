import { usageError } from '../../core/errors.js';
import { scanRepo } from '../../repo/scan.js';
import type { ScanResult } from '../../types/scan.js';
import type { InputValue, Session } from '../../session/schema.js';
import {
  dispatch,
  findSession,
  openWorkspace,
  startSession,
  type ExistingSession,
  type Workspace,
} from '../../session/workspace.js';
import { requiredCheckIds } from '../../session/required-checks.js';
import { previewProposals } from '../../edit/preview.js';
import type { StepId } from '../../skill/schema.js';
import type { GuideActions } from '../../ui/actions.js';
import { ALL_CHECKS } from '../../verify/registry.js';
import { startRuntimeRun } from '../../verify/runtime/runtime-run.js';
import { exitCodeForSignal, stopAllProcessGroups } from '../../core/process-groups.js';
import { applyStepAt } from '../../workflow/apply-step.js';
import { applyDoctorFixes } from '../../workflow/doctor-fixes.js';
import { checkSteps, type CheckStepOptions } from '../../workflow/check-step.js';
import { answerOffline, formatOfflineAnswer, KEY_HINT } from '../../chat/offline-answer.js';
import { choosePlanner, planStepAt, type PlannerChoice } from '../../workflow/plan-step.js';
import { resolveModel } from '../../plan/model/model-planner.js';
import { undoSteps } from '../../workflow/undo-steps.js';
import { recoverJournal } from '../../workflow/session-for-repo.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progress } from '../output.js';

/** How long started groups get between SIGTERM and SIGKILL after Ctrl-C in the guide (the exit follows at once). */
const INTERRUPT_GRACE_MS = 500;

export function requireTerminal(): void {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw usageError(
      'the interactive guide needs a terminal, and stdin or stdout is not one',
      'use the JSON commands instead: `trace-guide scan --json`, `trace-guide status --json` (see --help)',
    );
  }
}

/**
 * The guide's planner, from the environment: ANTHROPIC_API_KEY → Claude (TRACE_GUIDE_MODEL names the model), else the
 * built-in recipes; TRACE_GUIDE_OFFLINE=1 forces the recipes.
 */
export function guidePlanner(env: NodeJS.ProcessEnv = process.env): PlannerChoice {
  const offline =
    env['TRACE_GUIDE_OFFLINE'] !== undefined &&
    !['', '0', 'false'].includes(env['TRACE_GUIDE_OFFLINE'].trim().toLowerCase());
  return choosePlanner({ offline }, env);
}

/** Starts the services against the built-in receiver for the runtime checks. */
const startRuntime: CheckStepOptions['startRuntime'] = (ctx) => startRuntimeRun(ctx);

/**
 * The guide's actions, done by the core workflow. The session the guide shows is kept here and replaced by what every
 * action returns (the core saves it after each event), so the UI only ever names a step index.
 */
export function createGuideActions(
  workspace: Workspace,
  scan: ScanResult,
  existing: ExistingSession,
  deps: {
    startRuntime: CheckStepOptions['startRuntime'];
    initialInputs?: Record<string, InputValue>;
    planner?: PlannerChoice;
  } = { startRuntime },
): GuideActions {
  const planner: PlannerChoice = deps.planner ?? { kind: 'recipes' };
  let session: Session | undefined = existing.kind === 'found' ? existing.session : undefined;
  const current = (): Session => {
    if (!session) throw new Error('no session is open: start the guide first');
    return session;
  };
  const keep = <T extends { session: Session }>(value: T): T => {
    session = value.session;
    return value;
  };
  return {
    planner: planner.kind === 'model' ? { kind: 'model', model: planner.model ?? resolveModel() } : { kind: 'recipes' },
    async start() {
      const started = keep(await startSession(workspace, scan));
      if (!deps.initialInputs || Object.keys(deps.initialInputs).length === 0) return started;
      session = await dispatch(workspace, started.session, { type: 'set-inputs', inputs: deps.initialInputs });
      return { ...started, session };
    },
    async plan(index, inputs) {
      // The guide displays the plan for review, so its proposals are recorded as shown.
      const planned = keep(await planStepAt(workspace, current(), index, { inputs, planner, shown: true }));
      return {
        session: planned.session,
        previews: planned.previews,
        uncovered: planned.uncovered,
        nothingProposed: planned.nothingProposed,
        planner: planned.planner,
        ...(planned.usage ? { usage: planned.usage } : {}),
        ...(planned.summary !== undefined ? { summary: planned.summary } : {}),
      };
    },
    async preview(index) {
      const step = current().steps[index];
      if (!step) throw usageError(`there is no step ${index + 1}`);
      return previewProposals(workspace.root, step.proposals);
    },
    async apply(index, only, onProgress) {
      // From the review screen, which lists every proposal before `a` applies them, they count as shown; a retry from the
      // apply phase relies on what the session recorded as shown.
      const reviewed = current().current === index && current().steps[index]?.phase === 'review';
      const applied = keep(
        await applyStepAt(workspace, current(), index, { only, reviewed, ...(onProgress ? { onProgress } : {}) }),
      );
      return { session: applied.session, results: applied.outcome?.results ?? [] };
    },
    async check(index, onProgress) {
      const checked = keep(
        await checkSteps(workspace, current(), [index], {
          checks: ALL_CHECKS,
          startRuntime: deps.startRuntime,
          diagnose: true,
          ...(onProgress ? { onProgress: (_step: number, event) => onProgress(event) } : {}),
        }),
      );
      const step = checked.steps[0]!;
      return {
        session: checked.session,
        results: step.results,
        required: step.required,
        proven: step.proven,
        ...(checked.observed ? { observed: checked.observed } : {}),
        ...(checked.diagnosis ? { findings: checked.diagnosis.findings } : {}),
      };
    },
    async fix(proposals) {
      const { outcome } = keep(await applyDoctorFixes(workspace, proposals, current()));
      return { session: current(), results: outcome.results, written: [...new Set(outcome.writes.map((w) => w.path))] };
    },
    async undo(index) {
      const undone = keep(await undoSteps(workspace, current(), { step: index }));
      return { session: undone.session, undone: undone.outcome.undone.length, failed: undone.outcome.failed };
    },
    async skip(index, reason) {
      let next = current();
      if (next.current !== index) next = await dispatch(workspace, next, { type: 'goto', index });
      const required = requiredCheckIds(workspace.skill, next.steps[index]!.id, next.inputs);
      session = await dispatch(workspace, next, {
        type: 'skip',
        confirmed: true,
        required,
        ...(reason ? { reason } : {}),
      });
      return session;
    },
    async markNotesDone(index, ids) {
      let next = current();
      if (next.current !== index) next = await dispatch(workspace, next, { type: 'goto', index });
      for (const proposalId of ids) next = await dispatch(workspace, next, { type: 'note-done', proposalId });
      session = next;
      return next;
    },
    async ask(index, question, onText) {
      const step = (session?.steps[index]?.id ?? workspace.skill.steps[index]?.id) as StepId | undefined;
      if (planner.kind === 'recipes') {
        const text = formatOfflineAnswer(answerOffline(workspace.skill, question, step ? { step } : {}));
        return { mode: 'offline', text: text.replace(KEY_HINT, '').trimEnd(), hint: KEY_HINT };
      }
      // Loaded only with a key: the SDK is not needed offline.
      const { answerWithModel, repoContext } = await import('../../chat/model-answer.js');
      const repo = await repoContext(workspace);
      const answer = await answerWithModel(
        workspace.skill,
        question,
        { ...(step ? { step } : {}), repo: repo.text },
        {
          apiKey: planner.apiKey,
          ...(planner.baseURL !== undefined ? { baseURL: planner.baseURL } : {}),
          ...(planner.model !== undefined ? { model: planner.model } : {}),
          ...(onText ? { onText } : {}),
        },
      );
      return { mode: 'model', model: answer.model, text: answer.text, usage: answer.usage };
    },
    async next() {
      session = await dispatch(workspace, current(), { type: 'next' });
      return session;
    },
    async back() {
      session = await dispatch(workspace, current(), { type: 'back' });
      return session;
    },
  };
}

/** `trace-guide [dir]` and `trace-guide resume [dir]`: the interactive guide. */
export async function runGuide(
  args: ParsedArgs,
  options: { initialInputs?: Record<string, InputValue> } = {},
): Promise<number> {
  if (args.json) throw usageError('the guide is interactive: --json belongs to scan and status');
  requireTerminal();
  const workspace = await openWorkspace(args.dir);
  let existing = await findSession(workspace);
  // Writes of an apply that was stopped midway are recorded first, so undo knows them (and a new apply does not overwrite their journal).
  if (existing.kind === 'found')
    existing = { ...existing, session: (await recoverJournal(workspace, existing.session)).session };
  if (args.command === 'resume') {
    if (existing.kind === 'unusable') throw existing.error;
    if (existing.kind === 'none') {
      throw usageError(`there is no session to resume in ${workspace.root}`, 'run `trace-guide` there to start one');
    }
  }
  progress(`Scanning ${workspace.root} …`);
  const scan =
    existing.kind === 'found' && args.command === 'resume' ? existing.session.scan : await scanRepo(workspace.root);
  const { renderGuide } = await import('../../ui/render.js');
  const outcome = await renderGuide({
    repoRoot: workspace.root,
    skill: workspace.skill,
    scan,
    existing,
    mode: args.command === 'resume' ? 'resume' : 'ask',
    actions: createGuideActions(workspace, scan, existing, { startRuntime, ...options, planner: guidePlanner() }),
    // https://no-color.org: a NO_COLOR that is present and not empty turns colour off.
    color: !process.env['NO_COLOR'],
  });
  if (outcome === 'interrupted') {
    // Ctrl-C (a key in the guide's raw-mode terminal): stop every started group (installs, services) with a short grace,
    // then exit 130 at once. The work still in flight must not go on to record a run cut short: the session on disk is
    // the last one saved (atomically), and an apply's journal lets the next start account for what it wrote.
    await stopAllProcessGroups(INTERRUPT_GRACE_MS);
    process.exit(exitCodeForSignal('SIGINT'));
  }
  // The guide closed with q: a check still running in the background must not leave its services behind.
  await stopAllProcessGroups();
  return EXIT.ok;
}
