import { openWorkspace } from '../../session/workspace.js';
import { answerOf, getStep, inputsFor } from '../../skill/lookup.js';
import type { Skill, StepId } from '../../skill/schema.js';
import type { InputValue, Session } from '../../session/schema.js';
import { STEP_ORDER } from '../../skill/load.js';
import { parseInputAssignments } from '../../workflow/inputs.js';
import { choosePlanner, formatPlannerUsage, planStepAt } from '../../workflow/plan-step.js';
import { sessionForRepo } from '../../workflow/session-for-repo.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatProposals, proposalJson } from '../format/proposals-text.js';
import { progress, writeJson, writeText } from '../output.js';

/** `trace-guide plan --step N`: proposes the step's changes (stored in the session for review), writes nothing else. */
export async function runPlan(args: ParsedArgs): Promise<number> {
  const planner = choosePlanner(args);
  const workspace = await openWorkspace(args.dir);
  const inputs = parseInputAssignments(workspace.skill, args.set ?? []);
  const { session, started } = await sessionForRepo(workspace);
  if (started) progress(`started a session in ${workspace.root}`);
  const index = args.step ?? session.current;
  if (planner.kind === 'model')
    progress(
      `planning step ${index + 1} with the model planner (${planner.model}); --offline uses the built-in recipes`,
    );
  const planned = await planStepAt(workspace, session, index, {
    inputs,
    // Printed below (text or JSON): `apply --yes` may then apply these proposals, and only these.
    shown: true,
    planner:
      planner.kind === 'model' && !args.json
        ? {
            ...planner,
            onEvent: (event) =>
              event.type === 'tool' ? progress(`  ${event.ok ? '·' : '✗'} ${event.name}: ${event.message}`) : undefined,
          }
        : planner,
  });
  const step = getStep(workspace.skill, STEP_ORDER[index]!);
  if (args.json) {
    writeJson({
      ok: true,
      repo: workspace.root,
      step: { number: index + 1, id: step.id, title: step.title },
      planner: planned.planner,
      usage: planned.usage ?? null,
      ...(planned.summary !== undefined ? { summary: planned.summary } : {}),
      inputs: stepInputs(workspace.skill, step.id, planned.session),
      proposals: planned.previews.map(proposalJson),
      uncovered: planned.uncovered,
      nothingProposed: planned.nothingProposed,
    });
  } else {
    const answers = stepInputs(workspace.skill, step.id, planned.session)
      .map(
        (i) =>
          `  ${i.id} = ${Array.isArray(i.value) ? i.value.join(',') : String(i.value ?? '(none)')}${i.choices ? `   (${i.choices.join(' | ')})` : ''}`,
      )
      .join('\n');
    writeText(
      `Step ${index + 1} — ${step.title} (planner: ${planned.planner === 'model' ? 'model' : 'built-in recipes'})\n` +
        (planned.usage ? `Token spend: ${formatPlannerUsage(planned.usage)}\n` : '') +
        (planned.summary ? `Summary: ${planned.summary}\n` : '') +
        (answers ? `Inputs (change with --set id=value):\n${answers}\n` : '') +
        `\n${formatProposals(planned.previews)}` +
        planned.uncovered
          .map((u) =>
            u.instead
              ? `\nNo built-in recipe covers ${u.service} (${u.language}): ${u.instead}`
              : `\nNo built-in recipe of this step covers ${u.service} (${u.language}); set it up by hand with the reference page.`,
          )
          .join('') +
        planned.nothingProposed.map((n) => `\nNothing proposed for ${n.service}: ${n.reason}`).join(''),
    );
    if (planned.previews.length > 0) {
      writeText(`Apply them with: trace-guide apply --step ${index + 1} --yes   (or --only <id,...>, or --dry-run)`);
    }
  }
  return EXIT.ok;
}

/** The inputs a step asks (given the answers so far), with the answer in use and the allowed choices. */
function stepInputs(skill: Skill, step: StepId, session: Session) {
  const inputs = session.inputs;
  return inputsFor(skill, step, inputs).map((input) => ({
    id: input.id,
    prompt: input.prompt,
    kind: input.kind,
    // Unanswered, the services input means every service the scan found.
    value: (answerOf(skill, input.id, inputs) ??
      (input.kind === 'services' ? session.scan.services.map((s) => s.id) : undefined)) as InputValue | undefined,
    ...(input.choices ? { choices: input.choices.map((c) => c.value) } : {}),
  }));
}
