/**
 * Which Python package manager a service uses, read from its manifests, and how to add dependencies with it: an edit of
 * the manifest it owns, then its install command (only when the tool is installed). Two manifests that disagree (say a
 * requirements.txt beside a Pipfile) are not guessed between: the caller turns the conflict into a question.
 */
import { parse as parseToml } from 'smol-toml';
import type { Service } from '../../../types/scan.js';
import { command, commandIfInstalled, editFile, note, type ProposalHead } from '../../../plan/proposal-builders.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import { pipInstall, pipTarget } from './python-env.js';
import { normalizePackageName, type PythonPackage } from './versions.js';

export type PythonManagerKind = 'pip' | 'pep621' | 'poetry' | 'uv' | 'pipenv';

export interface PythonManager {
  kind: PythonManagerKind;
  /** Repo-relative manifest the dependencies go into. */
  manifest: string;
  /** Normalized names of the packages the manifest already lists. */
  present: Set<string>;
}

export type ManagerDetection = { ok: true; manager: PythonManager } | { ok: false; reason: string };

const REQ_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

function requirementNames(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((e) =>
    typeof e === 'string' && REQ_NAME.test(e) ? [normalizePackageName(REQ_NAME.exec(e)![1]!)] : [],
  );
}

function tableKeys(table: unknown): string[] {
  return table && typeof table === 'object'
    ? Object.keys(table)
        .filter((k) => k !== 'python')
        .map(normalizePackageName)
    : [];
}

function table(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of keys) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export async function detectPythonManager(ctx: PlanContext, service: Service): Promise<ManagerDetection> {
  const found: PythonManager[] = [];
  const problems: string[] = [];

  const requirements = inService(service, 'requirements.txt');
  const reqText = await ctx.repo.read(requirements);
  if (reqText !== undefined) {
    const names = reqText
      .split('\n')
      .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
      .filter((l) => l && !l.startsWith('-'))
      .flatMap((l) => (REQ_NAME.test(l) ? [normalizePackageName(REQ_NAME.exec(l)![1]!)] : []));
    found.push({ kind: 'pip', manifest: requirements, present: new Set(names) });
  }

  const pyproject = inService(service, 'pyproject.toml');
  const pyText = await ctx.repo.read(pyproject);
  if (pyText !== undefined) {
    try {
      const doc = parseToml(pyText);
      const pep621 = requirementNames(table(doc, 'project', 'dependencies'));
      const poetryDeps = table(doc, 'tool', 'poetry', 'dependencies');
      const usesPoetry = poetryDeps !== undefined || (await ctx.repo.exists(inService(service, 'poetry.lock')));
      const usesUv = (await ctx.repo.exists(inService(service, 'uv.lock'))) || table(doc, 'tool', 'uv') !== undefined;
      const present = new Set([...pep621, ...tableKeys(poetryDeps)]);
      if (usesPoetry) found.push({ kind: 'poetry', manifest: pyproject, present });
      else if (usesUv) found.push({ kind: 'uv', manifest: pyproject, present });
      else if (table(doc, 'project', 'dependencies') !== undefined)
        found.push({ kind: 'pep621', manifest: pyproject, present });
    } catch (e) {
      problems.push(`${pyproject} is not valid TOML (${(e as Error).message.split('\n')[0]})`);
    }
  }

  const pipfile = inService(service, 'Pipfile');
  const pipText = await ctx.repo.read(pipfile);
  if (pipText !== undefined) {
    try {
      const doc = parseToml(pipText);
      found.push({ kind: 'pipenv', manifest: pipfile, present: new Set(tableKeys(table(doc, 'packages'))) });
    } catch (e) {
      problems.push(`${pipfile} is not valid TOML (${(e as Error).message.split('\n')[0]})`);
    }
  }

  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  if (found.length === 1) return { ok: true, manager: found[0]! };
  if (found.length === 0) {
    return { ok: false, reason: `no requirements.txt, pyproject.toml dependency list or Pipfile in ${service.root}` };
  }
  const list = found.map((m) => `${m.manifest} (${m.kind})`).join(' and ');
  return { ok: false, reason: `the dependencies are declared in ${list}; which one does this service install from?` };
}

function requirementLine(kind: PythonManagerKind, pkg: PythonPackage): string {
  switch (kind) {
    case 'pip':
      return `${pkg.name}==${pkg.version}`;
    case 'pep621':
    case 'uv':
      return `    "${pkg.name}==${pkg.version}",`;
    case 'poetry':
      return `${pkg.name} = "${pkg.version}"`;
    case 'pipenv':
      return `${pkg.name} = "==${pkg.version}"`;
  }
}

/** Start and end (exclusive) of the `[name]` table's body in TOML text, or undefined when the table is absent. */
function tableBlock(text: string, name: string): { start: number; end: number } | undefined {
  const header = new RegExp(`^\\[\\s*${name.replace(/\./g, '\\s*\\.\\s*')}\\s*\\][ \\t]*(?:#.*)?$`, 'm').exec(text);
  if (!header) return undefined;
  const start = header.index;
  const next = /^\[/m.exec(text.slice(start + header[0].length));
  return { start, end: next ? start + header[0].length + next.index : text.length };
}

/** `dependencies = [ ... ]` inside the [project] table: its start and end (after the closing bracket). */
function pep621Array(text: string): { start: number; end: number } | undefined {
  const block = tableBlock(text, 'project');
  if (!block) return undefined;
  const m = /^dependencies\s*=\s*\[/m.exec(text.slice(block.start, block.end));
  if (!m) return undefined;
  const open = block.start + m.index + m[0].length - 1;
  let quote = '';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i) - 1;
    else if (c === ']') return { start: block.start + m.index, end: i + 1 };
  }
  return undefined;
}

/** The new manifest text with the packages added, or undefined when it cannot be edited with confidence. */
export function manifestWithPackages(kind: PythonManagerKind, text: string, pkgs: PythonPackage[]): string | undefined {
  const lines = pkgs.map((p) => requirementLine(kind, p));
  if (kind === 'pip') {
    const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    return `${base}${lines.join('\n')}\n`;
  }
  if (kind === 'pep621' || kind === 'uv') {
    const at = pep621Array(text);
    if (!at) return undefined;
    const array = text.slice(at.start, at.end);
    const open = array.indexOf('[');
    const inner = array.slice(open + 1, -1).replace(/\s*$/, '');
    const lastLine = inner.slice(inner.lastIndexOf('\n') + 1);
    if (lastLine.includes('#')) return undefined;
    const sep = inner.trim() === '' || inner.endsWith(',') ? '' : ',';
    const rebuilt = `${array.slice(0, open + 1)}${inner}${sep}\n${lines.join('\n')}\n]`;
    return text.slice(0, at.start) + rebuilt + text.slice(at.end);
  }
  const block = tableBlock(text, kind === 'poetry' ? 'tool.poetry.dependencies' : 'packages');
  // Poetry 2 projects may declare their dependencies in [project] (PEP 621) only.
  if (!block) return kind === 'poetry' ? manifestWithPackages('pep621', text, pkgs) : undefined;
  const body = text.slice(block.start, block.end);
  const kept = body.replace(/\s*$/, '');
  const trailing = body.slice(kept.length) || '\n';
  return (
    text.slice(0, block.start) +
    `${kept}\n${lines.join('\n')}${trailing.startsWith('\n') ? trailing : `\n${trailing}`}` +
    text.slice(block.end)
  );
}

/** A requirement pip takes as one word: a name, extras and version specifiers; no marker, URL or space. */
const ONE_WORD_REQUIREMENT =
  /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9._,-]+\])?(?:(?:===|==|!=|<=|>=|~=|<|>)[A-Za-z0-9.*+!_-]+(?:,(?:===|==|!=|<=|>=|~=|<|>)[A-Za-z0-9.*+!_-]+)*)?$/;

/** [project].dependencies of a pyproject.toml followed by the added packages (pinned), or undefined when one of them
 * is not a one-word requirement (then `pip install -e .` is the way to get them all). */
function declaredWithAdded(text: string, added: PythonPackage[]): string[] | undefined {
  let declared: unknown;
  try {
    declared = (parseToml(text) as { project?: { dependencies?: unknown } }).project?.dependencies ?? [];
  } catch {
    return undefined;
  }
  if (!Array.isArray(declared)) return undefined;
  const words = declared.map((d) => (typeof d === 'string' ? d.replace(/\s+/g, '') : ''));
  if (words.some((w) => !ONE_WORD_REQUIREMENT.test(w))) return undefined;
  return [...words, ...added.map((p) => `${p.name}==${p.version}`)];
}

export const INSTALL: Record<PythonManagerKind, { tool: string; cmd: string; touches: string[] }> = {
  pip: { tool: 'pip', cmd: 'pip install -r requirements.txt', touches: [] },
  pep621: { tool: 'pip', cmd: 'pip install -e .', touches: [] },
  poetry: { tool: 'poetry', cmd: 'poetry lock && poetry install', touches: ['poetry.lock'] },
  uv: { tool: 'uv', cmd: 'uv sync', touches: ['uv.lock'] },
  pipenv: { tool: 'pipenv', cmd: 'pipenv install', touches: ['Pipfile.lock'] },
};

/**
 * Proposals adding the packages the manifest does not list yet: one manifest edit and the install command after it.
 * Returns [] when every package is already there.
 */
export async function addPythonPackages(
  ctx: PlanContext,
  service: Service,
  manager: PythonManager,
  pkgs: PythonPackage[],
  head: ProposalHead,
): Promise<Proposal[]> {
  const missing = pkgs.filter((p) => !manager.present.has(normalizePackageName(p.name)));
  if (missing.length === 0) return [];
  const text = (await ctx.repo.read(manager.manifest)) ?? '';
  const names = missing.map((p) => `${p.name}==${p.version}`).join(' ');
  const next = text.trim() === '' ? undefined : manifestWithPackages(manager.kind, text, missing);
  if (next === undefined) {
    return [
      note(
        head,
        `Add these packages to ${manager.manifest} (its dependency list could not be edited safely): ${names}`,
      ),
    ];
  }
  const edit = editFile(
    { ...head, why: `${head.why} (${manager.kind} manages ${manager.manifest})` },
    manager.manifest,
    [{ old: text, new: next }],
  );
  const byName = manager.kind === 'pep621' ? declaredWithAdded(text, missing) : undefined;
  return [edit, ...(await installProposals(ctx, service, manager, head, [head.id], undefined, byName))];
}

/**
 * The install command after the manifest changed, into the project's environment (see python-env.ts): poetry, uv and
 * pipenv with their own commands; pip into the project's virtual environment, the active one (pip refuses without it),
 * or a `.venv` whose creation is proposed first. Never the machine's global interpreter.
 */
export async function installProposals(
  ctx: PlanContext,
  service: Service,
  manager: Pick<PythonManager, 'kind' | 'manifest'>,
  head: ProposalHead,
  after: string[],
  label = 'the new packages',
  /** For a pyproject.toml: the project's declared dependencies with the packages just added. Into an environment that
   * already exists pip installs these by name rather than with `-e .`, which also builds the project itself and fails on
   * projects that are not installable (a flat layout that has grown a second top-level folder, such as Flask's
   * instance/). A new .venv, or a dependency list pip cannot take word by word (markers, URLs), still gets `-e .`. */
  byName?: string[],
): Promise<Proposal[]> {
  const kind = manager.kind;
  const install = INSTALL[kind];
  const touches = install.touches.map((t) => inService(service, t));
  const installHead = (cmd: string, extraAfter: string[] = []): ProposalHead => ({
    id: `${head.id}-install`,
    step: head.step,
    service: head.service,
    title: `Install ${label} (${cmd})`,
    why: `The dependencies added to ${manager.manifest} are not installed until ${cmd.split(' ')[0] === 'pip' || cmd.includes(' -m pip ') ? 'pip' : install.tool} installs them.`,
    after: [...after, ...extraAfter],
  });
  if (kind !== 'pip' && kind !== 'pep621') {
    return [await commandIfInstalled(ctx, install.tool, installHead(install.cmd), install.cmd, service.root, touches)];
  }
  const target = await pipTarget((rel) => ctx.repo.exists(rel), service);
  const pip = pipInstall(
    target,
    service,
    kind === 'pip'
      ? { flag: '-r', path: 'requirements.txt' }
      : byName && byName.length > 0 && target.kind !== 'create'
        ? { specs: byName }
        : { flag: '-e', path: '.' },
  );
  if (target.kind === 'active') return [await commandIfInstalled(ctx, 'pip', installHead(pip.cmd), pip.cmd, pip.cwd)];
  if (target.kind === 'project') {
    const h = installHead(pip.cmd);
    return [
      await commandIfInstalled(
        ctx,
        'python3',
        {
          ...h,
          why: `${h.why} They go into the project's virtual environment (${target.venv}), never the machine's Python.`,
        },
        pip.cmd,
        pip.cwd,
      ),
    ];
  }
  const venvId = `${head.id}-venv`;
  const create = await commandIfInstalled(
    ctx,
    'python3',
    {
      id: venvId,
      step: head.step,
      service: head.service,
      title: `Create a virtual environment for ${service.name} (${target.venv})`,
      why: `No virtual environment was found for ${service.name} and none is active: the packages go into a new ${target.venv} rather than the machine's Python. Start the service with ${target.venv}/bin/python (or activate it) from now on.`,
      after,
    },
    'python3 -m venv .venv',
    service.root,
  );
  const h = installHead(pip.cmd, [venvId]);
  return [
    create,
    command({ ...h, why: `${h.why} They go into ${target.venv}, never the machine's Python.` }, pip.cmd, pip.cwd),
  ];
}
