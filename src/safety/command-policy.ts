/**
 * Which commands trace-guide may run in a repo: a package manager adding or installing registry packages, Go module
 * tooling, and creating a virtual environment — nothing else. An allow-list, pure (no I/O): each tool's sub-commands,
 * the exact spelling of each flag it may take (so abbreviations such as npm's `--reg` or pip's `--extra-index` are
 * not flags this list knows), and the shape of each argument (registry package specs, Go module paths, workspace
 * names, files inside the repo). The answer carries the argv of each command of the `&&` chain, to run without a shell.
 */
import { splitCommand } from './command-words.js';
import {
  isGoModuleSpec,
  isInnerRelativePath,
  isNpmSpec,
  isPipSpec,
  isPlainName,
  isPoetrySpec,
  isWorkspaceSelector,
} from './package-specs.js';

export type CommandVerdict = { ok: true; chain: string[][] } | { ok: false; reason: string };

/** What a flag's value or a positional word must look like. */
type WordShape = 'npm-spec' | 'pip-spec' | 'poetry-spec' | 'go-module' | 'workspace' | 'inner-path' | 'name';

const SHAPES: Record<WordShape, { test: (w: string) => boolean; what: string }> = {
  'npm-spec': {
    test: isNpmSpec,
    what: 'an npm registry package (name or name@version; no path, URL, git or tarball spec)',
  },
  'pip-spec': { test: isPipSpec, what: 'a PyPI package (name, [extras], version specifiers; no path, URL or archive)' },
  'poetry-spec': {
    test: isPoetrySpec,
    what: 'a PyPI package (name, name@constraint or name==version; no path, URL or git spec)',
  },
  'go-module': {
    test: isGoModuleSpec,
    what: 'a Go module path with an optional @version (no relative package pattern)',
  },
  workspace: { test: isWorkspaceSelector, what: 'a workspace member (package name or a folder inside the repo)' },
  'inner-path': { test: isInnerRelativePath, what: 'a path inside the folder the command runs in' },
  name: { test: isPlainName, what: 'a plain name' },
};

interface SubCommand {
  /** Words after the tool, e.g. ['install'] or ['mod', 'tidy']. */
  words: string[];
  /** Flags without a value, spelled exactly. */
  switches?: string[];
  /** Flags with a value (`--flag value` or `--flag=value`), and the value's shape. */
  options?: Record<string, WordShape>;
  /** What the remaining words must be; undefined: none allowed. */
  positional?: WordShape;
  /** At least this many positional words. */
  minPositional?: number;
  /** Exactly this many positional words. */
  maxPositional?: number;
}

const NPM_SAVE = [
  '--save-exact',
  '-E',
  '--save',
  '-S',
  '--save-dev',
  '-D',
  '--save-prod',
  '-P',
  '--save-optional',
  '-O',
  '--no-audit',
  '--no-fund',
  '--ignore-scripts',
];
const PIP_INSTALL: Omit<SubCommand, 'words'> = {
  // --require-virtualenv: pip refuses to install unless a virtual environment is active (never the machine's Python).
  switches: [
    '-U',
    '--upgrade',
    '-q',
    '--quiet',
    '--no-input',
    '--disable-pip-version-check',
    '--ignore-installed',
    '--require-virtualenv',
  ],
  options: {
    '-r': 'inner-path',
    '--requirement': 'inner-path',
    '-c': 'inner-path',
    '--constraint': 'inner-path',
    '-e': 'inner-path',
    '--editable': 'inner-path',
  },
  positional: 'pip-spec',
};

/** Tool → its allowed sub-commands. Python tools also run as `python -m pip` and from a virtualenv's bin/ folder. */
const TOOLS: Record<string, SubCommand[]> = {
  npm: ['install', 'i', 'add'].map((w) => ({
    words: [w],
    switches: NPM_SAVE,
    options: { '-w': 'workspace', '--workspace': 'workspace' },
    positional: 'npm-spec',
  })),
  pnpm: [
    {
      words: ['add'],
      switches: [
        '--save-exact',
        '-E',
        '--save-dev',
        '-D',
        '--save-prod',
        '-P',
        '--save-optional',
        '-O',
        '--ignore-scripts',
      ],
      options: { '--filter': 'workspace', '-F': 'workspace' },
      positional: 'npm-spec',
      minPositional: 1,
    },
    ...['install', 'i'].map((w) => ({
      words: [w],
      switches: ['--frozen-lockfile', '--ignore-scripts'],
      options: { '--filter': 'workspace' as const, '-F': 'workspace' as const },
    })),
  ],
  yarn: [
    {
      words: ['add'],
      switches: ['--exact', '-E', '--dev', '-D', '--ignore-scripts'],
      positional: 'npm-spec',
      minPositional: 1,
    },
    { words: ['install'], switches: ['--frozen-lockfile', '--immutable', '--ignore-scripts'] },
  ],
  bun: ['add', 'install', 'i'].map((w) => ({
    words: [w],
    switches: ['--exact', '-E', '--dev', '-d', '-D', '--ignore-scripts'],
    positional: 'npm-spec',
  })),
  pip: [{ words: ['install'], ...PIP_INSTALL }],
  poetry: [
    { words: ['add'], options: { '--group': 'name', '-G': 'name' }, positional: 'poetry-spec', minPositional: 1 },
    { words: ['lock'], switches: ['--no-update'] },
    { words: ['install'], switches: ['--no-root', '--sync'] },
  ],
  uv: [
    { words: ['add'], switches: ['--dev', '--no-sync', '--frozen'], positional: 'pip-spec', minPositional: 1 },
    { words: ['sync'], switches: ['--frozen', '--locked'] },
    { words: ['pip', 'install'], ...PIP_INSTALL },
  ],
  pipenv: [{ words: ['install'], switches: ['--dev', '-d'], positional: 'pip-spec' }],
  go: [{ words: ['get'], positional: 'go-module', minPositional: 1 }, { words: ['mod', 'tidy'] }],
  /** `python -m venv <folder>` and `python -m pip install …`. */
  python: [
    { words: ['-m', 'venv'], positional: 'inner-path', minPositional: 1, maxPositional: 1 },
    { words: ['-m', 'pip', 'install'], ...PIP_INSTALL },
  ],
};

/** A virtualenv's interpreter or pip inside the repo: `.venv/bin/pip`, `orders/.venv/bin/python3`. */
const VENV_TOOL = /^(?:\.\/)?((?:[A-Za-z0-9._-]+\/)*)bin\/(pip3?|python3?(?:\.\d+)?)$/;

/** The tool table entry a first word names, or why it names none. */
function toolOf(word: string): { tool: string } | { reason: string } {
  if (Object.hasOwn(TOOLS, word) && word !== 'python') return { tool: word };
  if (word === 'pip3') return { tool: 'pip' };
  if (/^python3?(?:\.\d+)?$/.test(word)) return { tool: 'python' };
  const venv = VENV_TOOL.exec(word);
  if (venv && isInnerRelativePath(word)) return { tool: venv[2]!.startsWith('pip') ? 'pip' : 'python' };
  return {
    reason: `"${word}" is not an allowed tool (allowed: ${[...Object.keys(TOOLS), 'pip3', 'python3', '<virtualenv>/bin/pip|python'].join(', ')})`,
  };
}

function describeSub(tool: string): string {
  return TOOLS[tool]!.map((s) => s.words.join(' ')).join(', ');
}

function checkArgs(label: string, sub: SubCommand, args: string[]): string | undefined {
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word.startsWith('-')) {
      if (sub.switches?.includes(word)) continue;
      const eq = word.indexOf('=');
      const flag = eq === -1 ? word : word.slice(0, eq);
      const shape = sub.options?.[flag];
      if (!shape || (eq !== -1 && !flag.startsWith('--'))) {
        const known = [...(sub.switches ?? []), ...Object.keys(sub.options ?? {})];
        return `the flag "${word}" is not allowed for ${label} (allowed: ${known.length ? known.join(' ') : 'none'}); flags are matched exactly, abbreviations and joined values included`;
      }
      const value = eq === -1 ? args[++i] : word.slice(eq + 1);
      if (value === undefined) return `the flag "${flag}" of ${label} needs a value`;
      if (!SHAPES[shape].test(value)) return `"${value}" (after ${flag}) is not ${SHAPES[shape].what}`;
      continue;
    }
    if (!sub.positional) return `${label} takes no arguments here, found "${word}"`;
    if (!SHAPES[sub.positional].test(word)) return `"${word}" is not ${SHAPES[sub.positional].what}`;
    positional.push(word);
  }
  if (sub.minPositional !== undefined && positional.length < sub.minPositional)
    return `${label} needs at least ${sub.minPositional} argument(s)`;
  if (sub.maxPositional !== undefined && positional.length > sub.maxPositional)
    return `${label} takes at most ${sub.maxPositional} argument(s)`;
  return undefined;
}

/** One command's argv: its tool, sub-command, flags and arguments against the table. */
function checkArgv(argv: string[]): string | undefined {
  const [first, ...rest] = argv as [string, ...string[]];
  const found = toolOf(first);
  if ('reason' in found) return found.reason;
  let args = rest;
  // `yarn workspace <member> add …`: the member selector comes before the sub-command.
  if (found.tool === 'yarn' && args[0] === 'workspace') {
    const member = args[1];
    if (member === undefined || !isWorkspaceSelector(member))
      return `"yarn workspace" needs ${SHAPES.workspace.what}, found "${member ?? ''}"`;
    if (args[2] !== 'add') return '"yarn workspace <member>" may only run: add';
    args = args.slice(2);
  }
  const sub = TOOLS[found.tool]!.find((s) => s.words.every((w, i) => args[i] === w));
  if (!sub)
    return `"${[first, ...args.slice(0, 2)].join(' ')}" is not allowed; ${first} may only run: ${describeSub(found.tool)}`;
  return checkArgs(`${first} ${sub.words.join(' ')}`, sub, args.slice(sub.words.length));
}

/**
 * Whether `command` may run, and its argv chain when it may; when not, the reason (shown to the model planner so it
 * can correct itself, and reported when a proposal is refused at apply time).
 */
export function checkCommand(command: string): CommandVerdict {
  const split = splitCommand(command.trim());
  if (!split.ok) return split;
  for (const argv of split.chain) {
    const reason = checkArgv(argv);
    if (reason) return { ok: false, reason };
  }
  return { ok: true, chain: split.chain };
}
