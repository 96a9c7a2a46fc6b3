import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { inputError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { formatDataIssues, formatIssues, type DataIssue, type IssuePath, type Locate } from './format-issues.js';
import {
  SkillFileSchema,
  StepIdSchema,
  type Input,
  type Skill,
  type SkillFile,
  type StepId,
  type When,
} from './schema.js';

export const SKILL_FILE = 'skill.yaml';
export const DEFAULT_SKILL_ID = 'instrument-distributed-tracing';

/** The six steps, in the only order a skill may list them. */
export const STEP_ORDER: readonly StepId[] = StepIdSchema.options;

/** The shipped skill folder, `skills/instrument-distributed-tracing` under the package root. */
export function defaultSkillDir(): string {
  return path.join(packageRoot(), 'skills', DEFAULT_SKILL_ID);
}

/** A path to show the user: relative to the working directory when inside it. */
function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

const HINT = 'fix the skill file at the place named above and run again';

/** Reads, validates and cross-checks a skill folder. Any problem throws an input error naming file, field and expectation. */
export async function loadSkill(dir: string): Promise<Skill> {
  const absDir = path.resolve(dir);
  const file = path.join(absDir, SKILL_FILE);
  const shown = displayPath(file);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'not found'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(error)})`;
    throw inputError(
      `${shown}: expected a skill file, but it ${what === 'not found' ? 'does not exist' : what}`,
      `check the skill folder ${displayPath(absDir)}`,
      error,
    );
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const [first = syntax.message, ...excerpt] = syntax.message.split('\n');
    const summary = first.replace(/ at line \d+, column \d+:?$/, '');
    const where = pos ? `${shown}:${pos.line}:${pos.col}` : shown;
    const detail = excerpt.filter((l) => l.trim() !== '').map((l) => `    ${l}`);
    throw inputError([`${where}: YAML syntax error: ${summary}`, ...detail].join('\n'), HINT, syntax);
  }

  const data: unknown = doc.toJS();
  const locate = locator(doc, lineCounter);
  const parsed = SkillFileSchema.safeParse(data);
  if (!parsed.success) {
    throw inputError(formatIssues(shown, parsed.error.issues, { data, locate }).join('\n'), HINT, parsed.error);
  }
  const skill = parsed.data;

  const issues = crossCheck(skill);
  if (issues.length > 0) throw inputError(formatDataIssues(shown, issues, { locate }).join('\n'), HINT);

  const pages = {} as Record<StepId, string>;
  const pageIssues: DataIssue[] = [];
  for (const [i, step] of skill.steps.entries()) {
    const pagePath = path.resolve(absDir, step.reference);
    const where: IssuePath = ['steps', i, 'reference'];
    if (path.isAbsolute(step.reference) || path.relative(absDir, pagePath).startsWith('..')) {
      pageIssues.push({
        path: where,
        message: `expected a path inside the skill folder, got ${JSON.stringify(step.reference)}`,
      });
      continue;
    }
    let page: string;
    try {
      page = await readFile(pagePath, 'utf8');
    } catch {
      pageIssues.push({
        path: where,
        message: `expected an existing reference page, but ${displayPath(pagePath)} does not exist`,
      });
      continue;
    }
    if (page.trim() === '') {
      pageIssues.push({
        path: where,
        message: `expected a non-empty reference page, but ${displayPath(pagePath)} is empty`,
      });
      continue;
    }
    pages[step.id] = page;
  }
  if (pageIssues.length > 0) throw inputError(formatDataIssues(shown, pageIssues, { locate }).join('\n'), HINT);

  return { ...skill, dir: absDir, pages };
}

/** Positions of fields in the YAML text; a missing field points at its nearest existing parent. */
function locator(doc: Document, lineCounter: LineCounter): Locate {
  return (p) => {
    for (let n = p.length; n >= 0; n--) {
      const node: unknown = n === 0 ? doc.contents : doc.getIn(p.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, col: pos.col };
      }
    }
    return undefined;
  };
}

/** Everything the schema cannot see alone: order, references between ids, conditions. */
export function crossCheck(skill: SkillFile): DataIssue[] {
  const issues: DataIssue[] = [];

  skill.steps.forEach((step, i) => {
    const expected = STEP_ORDER[i];
    if (step.id !== expected) {
      issues.push({
        path: ['steps', i, 'id'],
        message: `expected "${expected}" (steps run in the order ${STEP_ORDER.join(', ')}), got "${step.id}"`,
      });
    }
  });

  const itemIndex = new Map<string, number>();
  skill.checklist.forEach((item, i) => {
    const first = itemIndex.get(item.id);
    if (first !== undefined)
      issues.push({
        path: ['checklist', i, 'id'],
        message: `expected a unique id, but "${item.id}" is also checklist[${first}]`,
      });
    else itemIndex.set(item.id, i);
  });

  // Inputs: ids are unique across the whole skill, because answers are kept in one record keyed by input id.
  const inputs = new Map<string, { input: Input; step: number; index: number }>();
  skill.steps.forEach((step, s) => {
    step.inputs.forEach((input, k) => {
      const first = inputs.get(input.id);
      if (first) {
        const where = first.step === s ? 'in this step' : `in step ${skill.steps[first.step]?.id ?? first.step}`;
        issues.push({
          path: ['steps', s, 'inputs', k, 'id'],
          message: `expected a unique input id, but "${input.id}" is also steps[${first.step}].inputs[${first.index}] (${where})`,
        });
        return;
      }
      // An input's condition may only look at answers given before it.
      if (input.when)
        checkWhen(input.when, ['steps', s, 'inputs', k, 'when'], inputs, issues, 'an input asked earlier');
      (input.defaults ?? []).forEach((d, j) =>
        checkWhen(d.when, ['steps', s, 'inputs', k, 'defaults', j, 'when'], inputs, issues, 'an input asked earlier'),
      );
      inputs.set(input.id, { input, step: s, index: k });
    });
  });

  const used = new Set<string>();
  skill.steps.forEach((step, s) => {
    const seen = new Set<string>();
    step.checklist.forEach((id, c) => {
      if (!itemIndex.has(id)) {
        issues.push({
          path: ['steps', s, 'checklist', c],
          message: `expected the id of an item in checklist, got unknown id "${id}"`,
        });
      }
      if (seen.has(id))
        issues.push({
          path: ['steps', s, 'checklist', c],
          message: `expected each item once per step, but "${id}" is listed twice`,
        });
      seen.add(id);
      used.add(id);
    });
  });

  skill.checklist.forEach((item, i) => {
    if (!used.has(item.id)) {
      issues.push({
        path: ['checklist', i, 'id'],
        message: `expected every checklist item to be used by a step, but no step lists "${item.id}"`,
      });
    }
    if (item.when) checkWhen(item.when, ['checklist', i, 'when'], inputs, issues, 'an input of the skill');
  });

  return issues;
}

function checkWhen(
  when: When,
  at: IssuePath,
  inputs: ReadonlyMap<string, { input: Input }>,
  issues: DataIssue[],
  scope: string,
): void {
  for (const [key, values] of Object.entries(when)) {
    const target = inputs.get(key)?.input;
    if (!target) {
      const known = [...inputs.keys()];
      issues.push({
        path: [...at, key],
        message: `expected the id of ${scope}, got unknown input "${key}"${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      });
      continue;
    }
    if (!target.choices) {
      issues.push({
        path: [...at, key],
        message: `expected a choice or multi-choice input, but "${key}" is a ${target.kind} input`,
      });
      continue;
    }
    const allowed = target.choices.map((c) => c.value);
    values.forEach((value, v) => {
      if (!allowed.includes(value)) {
        issues.push({
          path: [...at, key, v],
          message: `expected one of the choices of "${key}" (${allowed.join(', ')}), got "${value}"`,
        });
      }
    });
  }
}
