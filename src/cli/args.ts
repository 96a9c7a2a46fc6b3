import { parseArgs } from 'node:util';
import { usageError } from '../core/errors.js';

export const COMMANDS = [
  'guide',
  'resume',
  'scan',
  'status',
  'reset',
  'demo',
  'plan',
  'apply',
  'undo',
  'skip',
  'check',
  'receive',
  'ask',
  'doctor',
  'mcp',
  'score',
  'diff',
] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  command: Command | 'help' | 'version';
  dir: string;
  json: boolean;
  /** 0-based step index from `--step N` (1-based on the command line). */
  step?: number;
  only?: string[];
  set?: string[];
  yes?: boolean;
  dryRun?: boolean;
  commit?: boolean;
  /** `apply --only <note-id> --done`: the user made the change a note asked for; no file is touched. */
  done?: boolean;
  force?: boolean;
  /** `--model` (value '') or `--model=name`: plan or answer with Claude; needs ANTHROPIC_API_KEY. */
  model?: string;
  /** `--offline`: the built-in recipes / reference pages even when ANTHROPIC_API_KEY is set. */
  offline?: boolean;
  /** The question of `ask`. */
  question?: string;
  /** `--reason "…"` of `skip`: why the step is skipped (recorded in the session). */
  reason?: string;
  /** `score --min N`: the score below which the command exits 1 (0 to 100). */
  min?: number;
  /** `score --from FILE`: score a saved run (OTLP JSON lines) instead of running the services. */
  from?: string;
  /** `receive/check/score --save FILE`: write what arrived as OTLP JSON lines. */
  save?: string;
  /** `diff A B`: the two snapshots compared (A before, B after). */
  snapshots?: [string, string];
}

/** Which options each command takes beyond --json / --help; anything else is a usage error. */
const ALLOWED: Record<Command, readonly string[]> = {
  guide: [],
  resume: [],
  scan: [],
  status: [],
  reset: [],
  demo: [],
  plan: ['step', 'set', 'model', 'offline'],
  apply: ['step', 'set', 'only', 'yes', 'dry-run', 'commit', 'model', 'offline', 'done'],
  undo: ['step', 'force'],
  skip: ['step', 'reason'],
  check: ['step', 'save'],
  receive: ['save'],
  ask: ['step', 'model', 'offline'],
  doctor: ['only', 'yes', 'dry-run'],
  mcp: [],
  score: ['min', 'from', 'yes', 'save'],
  diff: [],
};

/**
 * `--model` takes an optional name, which node:util parseArgs cannot express: a bare `--model` becomes `--model=` (the
 * default model); a name is given as `--model=NAME` (a bare `--model` never swallows the next argument, which may be
 * the directory or the question).
 */
function normaliseModelFlag(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg === '--') {
      out.push(...argv.slice(out.length));
      break;
    }
    out.push(arg === '--model' ? '--model=' : arg);
  }
  return out;
}

/** Turns argv into a command; unknown flags, flags a command does not take and extra arguments are usage errors. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: normaliseModelFlag(argv),
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        step: { type: 'string' },
        only: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        yes: { type: 'boolean', short: 'y' },
        'dry-run': { type: 'boolean' },
        commit: { type: 'boolean' },
        force: { type: 'boolean' },
        done: { type: 'boolean' },
        model: { type: 'string' },
        offline: { type: 'boolean' },
        reason: { type: 'string' },
        min: { type: 'string' },
        from: { type: 'string' },
        save: { type: 'string' },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message, 'run `trace-guide --help` for the commands and options');
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', dir: '.', json: false };
  if (values.version) return { command: 'version', dir: '.', json: false };

  const [first, ...rest] = positionals;
  let command: Command = 'guide';
  let operands = positionals;
  if (first !== undefined && (COMMANDS as readonly string[]).includes(first)) {
    command = first as Command;
    operands = rest;
  } else if (first === 'help') {
    return { command: 'help', dir: '.', json: false };
  }
  let question: string | undefined;
  if (command === 'ask') {
    if (operands.length === 0 || operands.length > 2) {
      throw usageError(
        'ask needs one question (and optionally a directory before it)',
        'for example: trace-guide ask --step 5 "why does tempo not tail sample?"',
      );
    }
    question = operands[operands.length - 1]!.trim();
    if (!question) throw usageError('ask needs a question that is not empty');
    operands = operands.slice(0, -1);
  }
  let snapshots: [string, string] | undefined;
  if (command === 'diff') {
    if (operands.length !== 2)
      throw usageError(
        'diff needs two snapshot files: the one before and the one after',
        'for example: trace-guide diff before.jsonl after.jsonl (write them with --save FILE)',
      );
    snapshots = [operands[0]!, operands[1]!];
    operands = [];
  }
  if (operands.length > 1) {
    throw usageError(`too many arguments: ${operands.join(' ')}`, 'give at most one directory');
  }
  if (command === 'demo' && operands.length > 0) {
    throw usageError('demo takes no directory: it copies the bundled demo to a temporary directory');
  }
  if (command === 'receive' && operands.length > 0) {
    throw usageError('receive takes no directory: it listens on 127.0.0.1 and prints the traces it receives');
  }
  const given = Object.entries(values)
    .filter(([key, value]) => !['json', 'help', 'version'].includes(key) && value !== undefined)
    .map(([key]) => key);
  const refused = given.filter((key) => !ALLOWED[command].includes(key));
  if (refused.length > 0) {
    throw usageError(
      `${command} does not take --${refused.join(', --')}`,
      'run `trace-guide --help` for the options of each command',
    );
  }

  const result: ParsedArgs = { command, dir: operands[0] ?? '.', json: values.json ?? false };
  if (values.step !== undefined) {
    const n = Number(values.step);
    if (!Number.isInteger(n) || n < 1 || n > 6)
      throw usageError(`--step expects a step number from 1 to 6, not "${values.step}"`);
    result.step = n - 1;
  } else if (command === 'plan' || command === 'apply' || command === 'skip') {
    throw usageError(`${command} needs --step N (1 to 6)`, `for example: trace-guide ${command} --step 1 --json`);
  }
  if (command === 'skip') {
    const reason = values.reason?.trim();
    if (!reason)
      throw usageError(
        'skip needs --reason "…" that is not empty',
        'for example: trace-guide skip --step 5 --reason "sampling is set by the platform team"',
      );
    result.reason = reason;
  }
  if (values.only) {
    const ids = values.only.flatMap((v) => v.split(',')).map((v) => v.trim());
    // An empty id would select nothing, and "apply nothing" is never what was meant.
    if (ids.length === 0 || ids.some((id) => id === '')) {
      throw usageError(
        `--only expects proposal ids separated by commas, not "${values.only.join(',')}"`,
        'for example: --only otel-deps,start-script; the ids are in `trace-guide plan --step N --json`',
      );
    }
    result.only = ids;
  }
  if (values.min !== undefined) {
    const n = Number(values.min);
    if (values.min.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
      throw usageError(
        `--min expects a score from 0 to 100, not "${values.min}"`,
        'for example: trace-guide score --min 75',
      );
    result.min = n;
  }
  if (values.from !== undefined) {
    if (values.from.trim() === '') throw usageError('--from expects a file of OTLP JSON (one export request per line)');
    result.from = values.from;
  }
  if (values.save !== undefined) {
    if (values.save.trim() === '') throw usageError('--save expects a file path (OTLP JSON lines are written there)');
    if (values.from !== undefined)
      throw usageError(
        '--save writes what a run received; --from reads a saved file instead of running',
        'copy the file to keep another version of it',
      );
    result.save = values.save;
  }
  if (snapshots) result.snapshots = snapshots;
  if (values.set) result.set = values.set;
  if (values.yes) result.yes = true;
  if (values['dry-run']) result.dryRun = true;
  if (values.done) {
    if (!values.only)
      throw usageError(
        '--done marks notes as done by hand and needs --only <note-id>,...',
        'for example: trace-guide apply --step 2 --only orders:start-sdk --done',
      );
    if (values.yes || values['dry-run'] || values.commit || values.set)
      throw usageError('--done changes no files: use it with --step and --only only');
    result.done = true;
  }
  if (values.commit) result.commit = true;
  if (values.force) result.force = true;
  if (values.model !== undefined) result.model = values.model.trim();
  if (values.offline) result.offline = true;
  if (question !== undefined) result.question = question;
  if (result.model !== undefined && result.offline)
    throw usageError('--model and --offline contradict each other: choose one');
  if (command === 'apply' && result.yes && result.dryRun)
    throw usageError('--yes and --dry-run contradict each other: choose one');
  return result;
}
