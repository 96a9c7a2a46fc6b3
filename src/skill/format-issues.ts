import type { z } from 'zod';

/**
 * Turns validation problems into lines a user can act on:
 *   `skills/x/skill.yaml: steps[2].title: expected a non-empty string`
 *   `skills/x/skill.yaml:14:7: steps[2].title: expected a non-empty string`   (when a locator knows the position)
 * Usable by any loader of a data file (skill, session store, config).
 */

export type IssuePath = readonly PropertyKey[];

/** A problem found after schema validation (cross-checks): where and what was expected. */
export interface DataIssue {
  path: IssuePath;
  /** Reads after the path, e.g. "expected an existing checklist item id, got \"foo\"". */
  message: string;
}

/** Maps a field path to a 1-based line and column in the source text, when it can. */
export type Locate = (path: IssuePath) => { line: number; col: number } | undefined;

export interface FormatOptions {
  /** The parsed data the issues are about; used to say what was found (e.g. "it is missing"). */
  data?: unknown;
  locate?: Locate;
}

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** `steps[2].checklist[1]`, `checklist[3].when.tail-sampling`; the empty path is `(top level)`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const k = String(key);
      out += IDENT.test(k) ? (out === '' ? k : `.${k}`) : `[${JSON.stringify(k)}]`;
    }
  }
  return out === '' ? '(top level)' : out;
}

function valueAt(data: unknown, path: IssuePath): { found: boolean; value: unknown } {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return { found: false, value: undefined };
    const rec = cur as Record<PropertyKey, unknown>;
    if (!(key in rec)) return { found: false, value: undefined };
    cur = rec[key];
  }
  return { found: true, value: cur };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return value === '' ? 'an empty string' : `the string ${JSON.stringify(truncate(value))}`;
  return `${typeof value} ${String(value)}`;
}

function truncate(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
  undefined: 'nothing',
};

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) === 1 ? '' : 's'}`;
}

/** The "expected …" part for one zod issue. Messages we wrote ourselves start with "expected" and are kept as they are. */
export function describeIssue(issue: z.core.$ZodIssue, data?: unknown): string {
  if (/^expected\b/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (data === undefined) return `expected ${expected}`;
      const { found, value } = valueAt(data, issue.path);
      return found ? `expected ${expected}, got ${describeValue(value)}` : `expected ${expected}, but it is missing`;
    }
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string')
        return Number(min) === 1 ? 'expected a non-empty string' : `expected at least ${plural(min, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        if (issue.exact) return `expected exactly ${plural(min, 'item')}`;
        return Number(min) === 1 ? 'expected a non-empty list' : `expected at least ${plural(min, 'item')}`;
      }
      return `expected a number ${issue.inclusive === false ? '>' : '>='} ${String(min)}`;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') return `expected at most ${plural(max, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        return issue.exact ? `expected exactly ${plural(max, 'item')}` : `expected at most ${plural(max, 'item')}`;
      }
      return `expected a number ${issue.inclusive === false ? '<' : '<='} ${String(max)}`;
    }
    case 'invalid_value': {
      const got = data === undefined ? undefined : valueAt(data, issue.path);
      const tail = got?.found ? `, got ${describeValue(got.value)}` : '';
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}${tail}`
        : `expected one of ${issue.values.map((v) => String(v)).join(', ')}${tail}`;
    }
    case 'invalid_format':
      return issue.format === 'regex'
        ? `expected text matching ${issue.pattern ?? 'the pattern'}`
        : `expected a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `unexpected ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (a typo?)`;
    case 'invalid_union':
      return (
        'expected ' +
        (issue.path.at(-1) === 'default' ? 'a string, a number or a list of strings' : 'one of the allowed shapes')
      );
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'invalid_key':
      return `expected valid keys: ${issue.issues.map((i) => describeIssue(i)).join('; ')}`;
    case 'invalid_element':
      return `expected valid entries: ${issue.issues.map((i) => describeIssue(i)).join('; ')}`;
    default:
      return issue.message;
  }
}

function prefix(file: string, path: IssuePath, locate: Locate | undefined): string {
  const pos = locate?.(path);
  return pos ? `${file}:${pos.line}:${pos.col}` : file;
}

/**
 * One line per zod issue: `<file>[:line:col]: <path>: expected …`, or `<path>: expected …` when called without a file
 * (the caller then says which file in its own message).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], options?: FormatOptions): string[];
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], options?: FormatOptions): string[];
export function formatIssues(
  a: string | readonly z.core.$ZodIssue[],
  b?: readonly z.core.$ZodIssue[] | FormatOptions,
  c?: FormatOptions,
): string[] {
  const file = typeof a === 'string' ? a : undefined;
  const issues = (typeof a === 'string' ? b : a) as readonly z.core.$ZodIssue[];
  const options = (typeof a === 'string' ? c : (b as FormatOptions | undefined)) ?? {};
  return issues.map((issue) => {
    const line = `${formatPath(issue.path)}: ${describeIssue(issue, options.data)}`;
    return file === undefined ? line : `${prefix(file, issue.path, options.locate)}: ${line}`;
  });
}

/** One line per cross-check problem, same shape as formatIssues. */
export function formatDataIssues(file: string, issues: readonly DataIssue[], options: FormatOptions = {}): string[] {
  return issues.map(
    (issue) => `${prefix(file, issue.path, options.locate)}: ${formatPath(issue.path)}: ${issue.message}`,
  );
}
