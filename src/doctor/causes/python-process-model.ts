/**
 * Cause 4: the Python process model keeps the SDK out of the process that serves requests.
 *
 * What was measured with the pinned SDK (opentelemetry-sdk 1.45.1, contrib 0.66b1, Flask 3.1, gunicorn 27, uvicorn
 * 0.54; HTTP and gRPC exporters) before this was written — spans of 6 probe requests with a known traceparent:
 * - all arrived: gunicorn -w 2 with and without --preload and the SDK started at import, `opentelemetry-instrument
 *   gunicorn` with and without --preload, `uvicorn --reload` / `--workers 2` with the SDK at import or under
 *   `opentelemetry-instrument`, `app.run(debug=True)` and `flask run --debug` (the reloaded child imports or runs the
 *   module again, and the SDK's BatchSpanProcessor re-creates its worker thread after fork since 1.7.0);
 * - none arrived: the SDK started under `if __name__ == "__main__":` before `uvicorn.run("mod:app", reload=True)` or
 *   `workers=2` (uvicorn spawns fresh interpreters that import the module without running that block), and a set-up
 *   skipped in the Flask reloader's child (`if not os.environ.get("WERKZEUG_RUN_MAIN")`).
 * So the doctor names only those, plus the same master-before-fork pattern with an SDK pinned below 1.7.0 (read from
 * the manifest, medium confidence: that SDK has no at-fork re-initialisation). A run where the probes were answered and
 * no span arrived from the service raises a finding to high confidence; a run where they did arrive adds nothing.
 */
import path from 'node:path';
import type { Service } from '../../types/scan.js';
import { createFile, editFile, note } from '../../plan/proposal-builders.js';
import { createPlanContext, inService } from '../../plan/context.js';
import type { Proposal } from '../../types/proposal.js';
import { serverModel, setupModulePath } from '../../lang/python/recipes/service-facts.js';
import { OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../../lang/python/recipes/versions.js';
import { Templates } from '../../plan/templates.js';
import type { CheckContext } from '../../verify/check.js';
import {
  callArgs,
  evidence,
  indentAt,
  pythonBlock,
  pythonFunctions,
  type SourceFile,
} from '../../source-reading/code.js';
import { readText } from '../../source-reading/repo-files.js';
import { sdkSetup, type StartCommand } from '../../source-reading/sdk-setup.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';

const ID = 'python-process-model' as const;
/** Creates or registers the SDK's tracer provider (the same test as the static checks' "is there a set-up"). */
const SDK_SETUP = /\bTracerProvider\s*\(|set_tracer_provider\s*\(|configure_azure_monitor\s*\(/;
/** Applies an instrumentation to the app: it belongs with the set-up in the serving process. */
const INSTRUMENT = /\b\w+Instrumentor\b|\.instrument_app\s*\(|\binstrument_(?:flask|fastapi|django|app)\s*\(/;
const SERVER_CLI = /\b(?:uvicorn|gunicorn|hypercorn|granian|daphne|waitress-serve)\b|\bflask\b[^\n]*\brun\b/;
/** The SDK release whose BatchSpanProcessor first re-created its export thread after fork (os.register_at_fork). */
const FORK_SAFE_MINOR = 7;

interface Statement {
  start: number;
  /** Offset just past the statement's last character (before its newline). */
  end: number;
  code: string;
  skeleton: string;
}

interface Guard {
  kind: 'main' | 'reloader';
  /** Start of the `if` line and end of its block. */
  start: number;
  end: number;
  indent: number;
  blockIndent: number;
  statements: Statement[];
  header: string;
}

/** The top-level statements of a Python block (a statement runs on while brackets are open or lines are deeper). */
function statementsOf(file: SourceFile, from: number, to: number): { indent: number; list: Statement[] } {
  const lines: { start: number; end: number }[] = [];
  let pos = from;
  while (pos < to) {
    let nl = file.code.indexOf('\n', pos);
    if (nl < 0 || nl > to) nl = to;
    lines.push({ start: pos, end: nl });
    pos = nl + 1;
  }
  const blank = (l: { start: number; end: number }) => file.code.slice(l.start, l.end).trim() === '';
  const first = lines.find((l) => !blank(l));
  const indent = first ? indentAt(file.code, first.start) : 0;
  const list: Statement[] = [];
  let current: { start: number; end: number; depth: number } | undefined;
  const close = () => {
    if (current)
      list.push({
        start: current.start,
        end: current.end,
        code: file.code.slice(current.start, current.end),
        skeleton: file.skeleton.slice(current.start, current.end),
      });
    current = undefined;
  };
  for (const l of lines) {
    if (blank(l)) continue;
    const deeper = indentAt(file.code, l.start) > indent;
    if (!current || (current.depth <= 0 && !deeper)) {
      close();
      current = { start: l.start, end: l.end, depth: 0 };
    } else {
      current.end = l.end;
    }
    for (const c of file.skeleton.slice(l.start, l.end)) {
      if (c === '(' || c === '[' || c === '{') current.depth++;
      else if (c === ')' || c === ']' || c === '}') current.depth--;
    }
  }
  close();
  return { indent, list };
}

function guardsOf(file: SourceFile): Guard[] {
  const out: Guard[] = [];
  const find = (re: RegExp, kind: Guard['kind'], keep: (header: string) => boolean) => {
    for (const m of file.code.matchAll(re)) {
      if (!keep(m[0])) continue;
      const block = pythonBlock(file.code, m.index);
      const { indent: blockIndent, list } = statementsOf(file, block.start, block.end);
      out.push({
        kind,
        start: m.index,
        end: block.end,
        indent: indentAt(file.code, m.index),
        blockIndent,
        statements: list,
        header: m[0].trim(),
      });
    }
  };
  find(/^[ \t]*if\s+__name__\s*==\s*(['"])__main__\1\s*:/gm, 'main', () => true);
  // A set-up skipped in the reloader's child: `if not os.environ.get("WERKZEUG_RUN_MAIN")`, `!= "true"`, `not in`.
  find(/^[ \t]*if\b[^\n]*WERKZEUG_RUN_MAIN[^\n]*:/gm, 'reloader', (h) => /\bnot\b|!=/.test(h));
  return out;
}

function bindings(s: Statement): string[] {
  const text = s.code.trim();
  const imp = /^import\s+(.+)$/s.exec(text);
  if (imp)
    return imp[1]!
      .split(',')
      .map((p) => p.trim())
      .map((p) => /\sas\s+(\w+)$/.exec(p)?.[1] ?? p.split('.')[0]!.trim());
  const from = /^from\s+\S+\s+import\s+\(?([^)]*)\)?$/s.exec(text);
  if (from)
    return from[1]!
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => /\sas\s+(\w+)$/.exec(p)?.[1] ?? p);
  const assign = /^(\w+)\s*(?::[^=\n]+)?=(?!=)/.exec(text);
  return assign ? [assign[1]!] : [];
}

/** The statements of the guard that start the SDK or instrument the app, with the imports / assignments they need. */
function setupStatements(guard: Guard, setupFunctions: Set<string>): Statement[] {
  const calls = setupFunctions.size > 0 ? new RegExp(`\\b(?:${[...setupFunctions].join('|')})\\s*\\(`) : undefined;
  const chosen = new Set(
    guard.statements.filter((s) => SDK_SETUP.test(s.code) || INSTRUMENT.test(s.code) || calls?.test(s.skeleton)),
  );
  if (![...chosen].some((s) => SDK_SETUP.test(s.code) || calls?.test(s.skeleton))) return [];
  for (let changed = true; changed; ) {
    changed = false;
    const used = new Set([...chosen].flatMap((s) => s.skeleton.match(/\b[A-Za-z_]\w*\b/g) ?? []));
    const last = Math.max(...[...chosen].map((s) => s.start));
    for (const s of guard.statements) {
      if (chosen.has(s) || s.start > last || /:\s*$/.test(s.code.trim())) continue;
      if (bindings(s).some((b) => used.has(b))) {
        chosen.add(s);
        changed = true;
      }
    }
  }
  return guard.statements.filter((s) => chosen.has(s));
}

function reindent(text: string, from: number, to: number): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : ' '.repeat(to) + l.slice(Math.min(from, l.length - l.trimStart().length))))
    .join('\n');
}

/** One edit: the set-up statements leave the guard and run just before it, in every process that loads the module. */
function moveEdit(file: SourceFile, guard: Guard, moved: Statement[]): { old: string; new: string } | undefined {
  const old = file.text.slice(guard.start, guard.end);
  if (file.text.split(old).length !== 2) return undefined;
  const movedText = moved
    .map((s) => reindent(file.text.slice(s.start, s.end), guard.blockIndent, guard.indent))
    .join('\n');
  const kept = guard.statements.filter((s) => !moved.includes(s)).map((s) => file.text.slice(s.start, s.end));
  const headerEnd = file.text.indexOf('\n', guard.start);
  const header = file.text.slice(guard.start, headerEnd);
  const body = kept.length > 0 ? kept.join('\n') : `${' '.repeat(guard.blockIndent)}pass`;
  const spacer = guard.indent === 0 ? '\n\n' : '\n';
  return { old, new: `${movedText}${spacer}${header}\n${body}` };
}

function runsAsScript(command: string, service: Service, file: string): boolean {
  const rel = service.root === '.' || service.root === '' ? file : file.slice(service.root.length + 1);
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mod = rel
    .replace(/\.py$/, '')
    .replace(/\/__main__$/, '')
    .replace(/\//g, '.');
  return (
    new RegExp(`\\bpython[\\d.]*\\s+(?:-\\w+\\s+)*(?:\\./)?${esc(rel)}\\b`).test(command) ||
    new RegExp(`\\bpython[\\d.]*\\s+(?:-\\w+\\s+)*-m\\s+${esc(mod)}\\b`).test(command)
  );
}

function loadsModule(command: string, service: Service, file: string): boolean {
  const rel = service.root === '.' || service.root === '' ? file : file.slice(service.root.length + 1);
  const mod = rel.replace(/\.py$/, '').replace(/\//g, '.');
  return (
    service.entrypoint?.file === file ||
    command.includes(`${mod}:`) ||
    new RegExp(`--app[= ]\\s*${mod.replace(/\./g, '\\.')}\\b`).test(command)
  );
}

function startEvidence(s: StartCommand, note: string): DoctorEvidence {
  return { file: s.evidence.file, line: s.evidence.line, ...(s.evidence.text ? { text: s.evidence.text } : {}), note };
}

function at(file: SourceFile, index: number, text: string): DoctorEvidence {
  const e = evidence(file, index);
  return { file: e.file, line: e.line, ...(e.text ? { text: e.text } : {}), note: text };
}

/** Which set-up guard keeps the SDK out of the serving process, and why. */
function guardFault(
  file: SourceFile,
  guard: Guard,
  service: Service,
  starts: StartCommand[],
): { why: string; evidence: DoctorEvidence[] } | undefined {
  const block = file.code.slice(guard.start, guard.end);
  if (guard.kind === 'reloader') {
    const run = /\.run\s*\(/.exec(file.code);
    const args = run ? callArgs(file, run.index + run[0].length - 1).text : '';
    const reloader =
      (/\bdebug\s*=\s*True\b/.test(args) && !/\buse_reloader\s*=\s*False\b/.test(args)) ||
      /\buse_reloader\s*=\s*True\b/.test(args);
    const cli = starts.find((s) =>
      /\bflask\b[^\n]*\brun\b[^\n]*(?:--debug|--reload)\b|\bFLASK_DEBUG=(?:1|true)\b/i.test(s.command),
    );
    if (!reloader && !cli) return undefined;
    return {
      why: `the SDK set-up is skipped when WERKZEUG_RUN_MAIN is set, which is exactly the reloader's child — the process that serves requests`,
      evidence: [
        at(
          file,
          guard.start,
          "the set-up runs only where this condition holds: in the reloader's watching parent, not in its serving child",
        ),
        ...(run && reloader
          ? [
              at(
                file,
                run.index,
                'the debug reloader is on: requests are served by a child process started with WERKZEUG_RUN_MAIN=true',
              ),
            ]
          : []),
        ...(cli ? [startEvidence(cli, `started with \`${cli.command}\`: the debug reloader is on`)] : []),
      ],
    };
  }
  const uvicorn = /\buvicorn\.run\s*\(/.exec(block);
  if (uvicorn) {
    const args = callArgs(file, guard.start + uvicorn.index + uvicorn[0].length - 1).text;
    const reload = /\breload\s*=\s*True\b/.test(args);
    const workers = /\bworkers\s*=\s*(\d+)/.exec(args);
    if (reload || (workers && Number(workers[1]) > 1)) {
      const flag = reload ? 'reload=True' : `workers=${workers![1]}`;
      return {
        why: `it starts under \`${guard.header}\`, but uvicorn.run(..., ${flag}) serves from spawned processes that import the module afresh and never run that block`,
        evidence: [
          at(
            file,
            guard.start + uvicorn.index,
            `uvicorn.run(..., ${flag}): requests are served by child processes (a fresh interpreter each), not by this one`,
          ),
        ],
      };
    }
  }
  const server = starts.filter((s) => SERVER_CLI.test(s.command) && loadsModule(s.command, service, file.path));
  if (server.length > 0 && !starts.some((s) => runsAsScript(s.command, service, file.path))) {
    return {
      why: `it starts under \`${guard.header}\`, but the service is started with \`${server[0]!.command}\`, which imports ${file.path} as a module: that block never runs, in any process`,
      evidence: server.map((s) =>
        startEvidence(
          s,
          `started with \`${s.command}\`: ${path.posix.basename(file.path)} is imported, never run as __main__`,
        ),
      ),
    };
  }
  return undefined;
}

async function guardFindings(ctx: CheckContext, service: Service): Promise<Finding[]> {
  const setup = await sdkSetup(ctx, service);
  // The wrapper starts the SDK through sitecustomize, which every child inherits through PYTHONPATH (measured).
  if (setup.agentStart) return [];
  const setupFunctions = new Set(
    setup.files.flatMap((f) =>
      pythonFunctions(f)
        .filter((fn) => fn.name && SDK_SETUP.test(f.code.slice(fn.start, fn.end)))
        .map((fn) => fn.name!),
    ),
  );
  const out: Finding[] = [];
  for (const file of setup.files) {
    // Innermost guards first: a reloader guard nested in the __main__ block is the one to move out of.
    const guards = guardsOf(file).sort((a, b) => b.indent - a.indent);
    for (const guard of guards) {
      const moved = setupStatements(guard, setupFunctions);
      if (moved.length === 0) continue;
      const fault = guardFault(file, guard, service, setup.starts);
      if (!fault) continue;
      const first = moved.find((s) => SDK_SETUP.test(s.code) || !INSTRUMENT.test(s.code)) ?? moved[0]!;
      const edit = moveEdit(file, guard, moved);
      const head = headOf(
        ID,
        service,
        `Start the SDK in the process that serves ${service.name}`,
        `The set-up ${fault.why}.`,
        'auto-instrumentation',
      );
      const proposals: Proposal[] = edit
        ? [editFile(head, file.path, [edit])]
        : [
            note(
              head,
              `Move the OpenTelemetry set-up out of \`${guard.header}\` in ${file.path} to module level, so every process that imports it starts the SDK.`,
            ),
          ];
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: the OpenTelemetry SDK never starts in the process that serves requests — ${fault.why}`,
        evidence: [at(file, first.start, `the SDK set-up, inside \`${guard.header}\``), ...fault.evidence],
        confidence: 'medium',
        proposals,
      });
      break;
    }
  }
  return out;
}

/** The opentelemetry-sdk version the manifests pin at most, when they pin one. */
async function sdkPin(
  ctx: CheckContext,
  service: Service,
): Promise<{ version: string; minor: number; evidence: DoctorEvidence } | undefined> {
  for (const name of [
    'requirements.txt',
    'requirements.in',
    'constraints.txt',
    'pyproject.toml',
    'Pipfile',
    'setup.py',
  ]) {
    const rel = inService(service, name);
    const text = await readText(ctx, rel);
    if (text === undefined) continue;
    const m = /opentelemetry[-_]sdk["']?\s*(?:=\s*["'])?\s*(==|~=|<=|<)\s*(\d+)\.(\d+)(?:\.\d+)?/i.exec(text);
    if (!m) continue;
    const major = Number(m[2]);
    const minor = m[1] === '<' ? Number(m[3]) - 1 : Number(m[3]);
    if (major !== 1 && major !== 0) return undefined;
    const e = evidence({ path: rel, text }, m.index);
    return {
      version: `${m[1]}${m[2]}.${m[3]}`,
      minor: major === 0 ? -1 : minor,
      evidence: {
        file: e.file,
        line: e.line,
        ...(e.text ? { text: e.text } : {}),
        note: `pins opentelemetry-sdk ${m[1]}${m[2]}.${m[3]}`,
      },
    };
  }
  return undefined;
}

/** gunicorn with the SDK started in the master before fork, and an SDK too old to re-create its exporter thread after it. */
async function preForkFindings(ctx: CheckContext, service: Service): Promise<Finding[]> {
  const setup = await sdkSetup(ctx, service);
  const start = setup.starts.find((s) => /\bgunicorn\b/.test(s.command));
  if (!start) return [];
  const pin = await sdkPin(ctx, service);
  if (!pin || pin.minor >= FORK_SAFE_MINOR) return [];
  const plan = createPlanContext({ root: ctx.root, skill: ctx.skill, scan: ctx.scan, inputs: ctx.inputs });
  const model = await serverModel(
    { ...plan, services: ctx.services },
    {
      ...service,
      start: { source: service.start?.source ?? 'Procfile', evidence: start.evidence, command: start.command },
    },
    undefined,
  );
  if (model.kind !== 'gunicorn') return [];
  const config = (await readText(ctx, model.config)) ?? '';
  const postFork = /^def post_fork\(/m.test(config);
  const master =
    setup.agentStart && /\bgunicorn\b/.test(setup.agentStart.command)
      ? `\`${setup.agentStart.command}\` starts the SDK in gunicorn's master`
      : model.preload && !postFork && setup.setupFiles.some((f) => f.path !== model.config)
        ? "with --preload the app (and the SDK set-up it imports) is loaded in gunicorn's master"
        : undefined;
  if (!master) return [];
  const why = `${master}, and opentelemetry-sdk before 1.${FORK_SAFE_MINOR}.0 does not re-create the batch exporter's thread in forked workers, so their spans are never sent`;
  const head = headOf(
    ID,
    service,
    `Start the SDK in each gunicorn worker of ${service.name}`,
    why,
    'auto-instrumentation',
  );
  const proposals: Proposal[] = [
    note(
      { ...head, id: `${head.id}-upgrade` },
      `Raise opentelemetry-sdk (${pin.evidence.file}:${pin.evidence.line}) to 1.${FORK_SAFE_MINOR}.0 or later, with opentelemetry-api, the exporters and the instrumentations in lockstep (trace-guide's recipes pin ${OTEL_SDK_VERSION} / ${OTEL_CONTRIB_VERSION}); from 1.${FORK_SAFE_MINOR}.0 the batch processor re-creates its thread after fork.`,
    ),
  ];
  // The recipe's own post_fork hook, when the recipe's set-up module is there to call.
  if (!postFork && (await ctx.repo.exists(setupModulePath(service)))) {
    const hook = await new Templates(path.join(ctx.skill.dir, 'templates')).render('python/gunicorn-post-fork.py', {});
    if (config === '') proposals.push(createFile(head, model.config, hook));
    else
      proposals.push(
        editFile(head, model.config, [
          { old: config, new: `${config.endsWith('\n') ? config : `${config}\n`}\n\n${hook}` },
        ]),
      );
  }
  return [
    {
      cause: ID,
      service: service.id,
      summary: `${service.name}: spans from gunicorn's workers are lost — ${why}`,
      evidence: [startEvidence(start, `started with \`${start.command}\``), pin.evidence],
      confidence: 'medium',
      proposals,
    },
  ];
}

async function staticFindings(ctx: CheckContext): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const service of ctx.services.filter((s) => s.language === 'python')) {
    out.push(...(await guardFindings(ctx, service)), ...(await preForkFindings(ctx, service)));
  }
  return out;
}

export const pythonProcessModelCause: Cause = {
  id: ID,
  fromRepo: staticFindings,
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const finding of await staticFindings(ctx)) {
      const probes = run.probes.filter((p) => p.serviceId === finding.service && p.status !== undefined);
      if (probes.length === 0) continue;
      // Spans from the probes arrived: the pattern did not lose them in this run, so nothing is claimed from it.
      if (probes.some((p) => spansDuring(run, p).length > 0)) continue;
      const processes = run
        .logLines(finding.service)
        .filter((l) =>
          /Started (?:reloader|parent|server) process \[\d+\]|Restarting with|Booting worker with pid|Debugger is active/.test(
            l.text,
          ),
        )
        .slice(0, 4)
        .map((l) => ({ note: `the service's output: ${l.text.trim()}` }));
      out.push({
        ...finding,
        evidence: [
          ...probes.slice(0, 3).map((p) => ({
            note: `${describeProbe(p)}: answered, yet no span arrived while it was served (none of trace ${p.traceId})`,
          })),
          ...processes,
        ],
        confidence: 'high',
        proposals: [],
      });
    }
    return out;
  },
};
