import { usageError } from '../core/errors.js';
import type { InputValue } from '../session/schema.js';
import { findInput } from '../skill/lookup.js';
import type { Skill } from '../skill/schema.js';
import { checkTextFormat } from './text-formats.js';

/**
 * Parses `--set id=value` answers against the skill's inputs: the id must be an input, a choice must be one of its
 * choices, a number within its bounds, structured text in its format; multi-choice and services answers are comma separated.
 */
export function parseInputAssignments(skill: Skill, assignments: readonly string[]): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw usageError(`--set expects id=value, got "${assignment}"`);
    const id = assignment.slice(0, eq).trim();
    const raw = assignment.slice(eq + 1).trim();
    const input = findInput(skill, id);
    if (!input) {
      const known = skill.steps.flatMap((s) => s.inputs.map((i) => i.id));
      throw usageError(`there is no input "${id}"`, `inputs: ${known.join(', ')}`);
    }
    const choices = (input.choices ?? []).map((c) => c.value);
    switch (input.kind) {
      case 'choice':
        if (!choices.includes(raw)) throw usageError(`${id} must be one of ${choices.join(', ')}, not "${raw}"`);
        out[id] = raw;
        break;
      case 'multi-choice': {
        const values = raw === '' ? [] : raw.split(',').map((v) => v.trim());
        const bad = values.filter((v) => !choices.includes(v));
        if (bad.length > 0) throw usageError(`${id}: ${bad.join(', ')} not among ${choices.join(', ')}`);
        out[id] = values;
        break;
      }
      case 'services':
        out[id] = raw === '' ? [] : raw.split(',').map((v) => v.trim());
        break;
      case 'number': {
        const n = Number(raw);
        if (raw === '' || !Number.isFinite(n)) throw usageError(`${id} must be a number, not "${raw}"`);
        if ((input.min !== undefined && n < input.min) || (input.max !== undefined && n > input.max)) {
          throw usageError(`${id} must be between ${input.min ?? '-∞'} and ${input.max ?? '∞'}, not ${n}`);
        }
        out[id] = n;
        break;
      }
      case 'text':
        checkTextFormat(input, raw);
        out[id] = raw;
        break;
    }
  }
  return out;
}
