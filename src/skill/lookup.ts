import { TraceGuideError } from '../core/errors.js';
import type { ChecklistItem, Input, Skill, Step, StepId, When } from './schema.js';

/** Answers given so far, keyed by input id (input ids are unique across a skill). */
export type InputValues = Readonly<Record<string, unknown>>;

export function getStep(skill: Skill, id: StepId): Step {
  const step = skill.steps.find((s) => s.id === id);
  if (!step) throw new TraceGuideError('internal', `skill ${skill.id} has no step "${id}"`);
  return step;
}

export function getChecklistItem(skill: Skill, id: string): ChecklistItem {
  const item = skill.checklist.find((c) => c.id === id);
  if (!item) throw new TraceGuideError('internal', `skill ${skill.id} has no checklist item "${id}"`);
  return item;
}

/** The input with this id, in whichever step asks it. */
export function findInput(skill: Skill, id: string): Input | undefined {
  for (const step of skill.steps) {
    const input = step.inputs.find((i) => i.id === id);
    if (input) return input;
  }
  return undefined;
}

/**
 * The answer for an input, or its default when it has not been answered: the first of its `defaults` whose `when` holds
 * for the answers so far, else its plain `default`.
 */
export function answerOf(skill: Skill, id: string, inputs: InputValues): unknown {
  const given = inputs[id];
  if (given !== undefined) return given;
  const input = findInput(skill, id);
  const conditional = input?.defaults?.find((d) => matchesWhen(skill, d.when, inputs));
  return conditional ? conditional.value : input?.default;
}

/**
 * True when every key of `when` has an answer among its values (an unanswered input counts with its default;
 * a multi-choice answer matches when any selected value is listed; no answer and no default never matches).
 */
export function matchesWhen(skill: Skill, when: When | undefined, inputs: InputValues): boolean {
  if (!when) return true;
  return Object.entries(when).every(([key, values]) => {
    const answer = answerOf(skill, key, inputs);
    if (answer === undefined || answer === null) return false;
    const answers = Array.isArray(answer) ? answer : [answer];
    return answers.some((a) => values.includes(String(a)));
  });
}

/** The checklist items a step must pass, in the step's order, keeping only those whose `when` holds for these answers. */
export function checklistFor(skill: Skill, stepId: StepId, inputs: InputValues): ChecklistItem[] {
  return getStep(skill, stepId)
    .checklist.map((id) => getChecklistItem(skill, id))
    .filter((item) => matchesWhen(skill, item.when, inputs));
}

/** The inputs a step asks, keeping only those whose `when` holds for the answers so far. */
export function inputsFor(skill: Skill, stepId: StepId, inputs: InputValues): Input[] {
  return getStep(skill, stepId).inputs.filter((input) => matchesWhen(skill, input.when, inputs));
}
