/**
 * Cause 6: the process ends before the batch processor exported its last batch — a short-lived command or job that
 * never shuts the tracer provider down, or a server stopped by SIGTERM with nothing calling shutdown().
 *
 * Static (medium), from the spans-flushed-on-shutdown check's own reading of the code (no shutdown()/forceFlush() in
 * Node, TracerProvider(shutdown_on_exit=False) without atexit in Python, no deferred Shutdown in Go's main).
 * Runtime (high): every command without a listening port — a service that is a job, or a job script of a service — is
 * run once against the receiver; it exited and none of its spans arrived.
 */
import path from 'node:path';
import { editFile, note } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import { inService } from '../../plan/context.js';
import { scriptTarget } from '../../lang/node/detect.js';
import type { Evidence, Service } from '../../types/scan.js';
import { answerOf } from '../../skill/lookup.js';
import type { CheckContext } from '../../verify/check.js';
import type { CheckResult } from '../../types/check-result.js';
import { spansFlushedOnShutdown } from '../../verify/checks/static/spans-flushed-on-shutdown.js';
import { braceFunctions, evidence, matchBracket, type SourceFile } from '../../source-reading/code.js';
import { readText, serviceSources } from '../../source-reading/repo-files.js';
import { sdkSetup, type SdkSetup } from '../../source-reading/sdk-setup.js';
import { findEnvReads, portVariable } from '../../verify/runtime/env-wiring.js';
import { runOnce, type OneShotResult } from '../../verify/runtime/one-shot-run.js';
import type { RuntimeRun } from '../../verify/runtime/runtime-run.js';
import { readServiceSources } from '../../verify/runtime/service-sources.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { headOf } from '../finding-helpers.js';

const ID = 'no-flush-on-exit' as const;

/** Code that serves (listens) rather than runs to an end: such a program is never run once. */
const SERVES =
  /\.listen\s*\(|\bcreateServer\s*\(|\bListenAndServe(?:TLS)?\s*\(|\bnet\.Listen\s*\(|\.Serve\s*\(|\bserve_forever\s*\(|\buvicorn\.run\s*\(|\bapp\.run\s*\(|\bHTTPServer\s*\(/;
/** Package scripts run once as jobs: scripts whose file lives in one of these folders of the service. */
const JOB_DIR = /^(?:bin|jobs?|scripts|cron|tasks)\//;
/** Scripts never run by the doctor, whatever file they name: they build, test, change data or publish. */
const NOT_A_JOB =
  /^(?:pre|post)|^(?:start|dev|serve|test|lint|build|watch|format|clean|install|prepare|release|publish|deploy)|migrat|seed|drop|reset|destroy|delete|purge|wipe/i;
/** A job file that traces: it loads OpenTelemetry, makes spans, or loads the service's tracing set-up. */
const TRACES =
  /@opentelemetry\/|\bgetTracer\s*\(|\bstart(?:Active)?Span\s*\(|require\s*\(\s*['"]\.{1,2}\/[^'"]*(?:tracing|telemetry|otel|instrument)|from\s+['"]\.{1,2}\/[^'"]*(?:tracing|telemetry|otel|instrument)/;
/** A flush the spans-flushed-on-shutdown check does not count: forceFlush, or an explicit Python / Go provider shutdown. */
const FLUSH: Record<'node' | 'python' | 'go', RegExp> = {
  node: /\.\s*(?:shutdown|forceFlush)\s*\(/,
  python: /\b\w*(?:provider|tp)\w*\s*\.\s*(?:shutdown|force_flush)\s*\(|\.force_flush\s*\(/i,
  go: /\b\w*(?:provider|tp)\w*\s*\.\s*(?:Shutdown|ForceFlush)\s*\(|\.ForceFlush\s*\(/i,
};

/** One command run once: the service's own start command, or one of its job scripts. */
export interface OneShotCandidate {
  service: Service;
  /** The script name for a job script; undefined for the service's start command. */
  script?: string;
  command: string;
  /** Absolute working directory. */
  cwd: string;
  evidence: Evidence;
  /** The repo-relative file a job script runs. */
  file?: string;
}

function lang(service: Service): 'node' | 'python' | 'go' | undefined {
  return service.language === 'node' || service.language === 'python' || service.language === 'go'
    ? service.language
    : undefined;
}

/** Whether the runtime run gives the service a listening port (the same reading: the scan's port, or a PORT variable). */
async function listens(ctx: CheckContext, service: Service): Promise<boolean> {
  if (service.port) return true;
  return portVariable(findEnvReads(await readServiceSources(ctx.root, service))) !== undefined;
}

/** A service that is a job: a start command, no listening port, no server framework, no code that listens. */
async function isJobService(ctx: CheckContext, service: Service, setup: SdkSetup): Promise<boolean> {
  if (!service.start?.command || service.frameworks.length > 0) return false;
  if (await listens(ctx, service)) return false;
  return !setup.files.some((f) => SERVES.test(f.code));
}

/** package.json scripts of a Node service that run a traced file from bin/, jobs/, scripts/... and do not serve. */
async function jobScripts(ctx: CheckContext, service: Service, setup: SdkSetup): Promise<OneShotCandidate[]> {
  if (service.language !== 'node') return [];
  const rel = inService(service, 'package.json');
  const text = await readText(ctx, rel);
  if (text === undefined) return [];
  let scripts: Record<string, unknown>;
  try {
    scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return [];
  }
  const out: OneShotCandidate[] = [];
  for (const [name, body] of Object.entries(scripts)) {
    if (typeof body !== 'string' || NOT_A_JOB.test(name)) continue;
    const target = scriptTarget(body)?.replace(/^\.\//, '');
    if (!target || !JOB_DIR.test(target)) continue;
    const file = setup.files.find((f) => f.path === inService(service, target));
    if (!file || SERVES.test(file.code) || !TRACES.test(file.code)) continue;
    const at = text.indexOf(`"${name}"`);
    out.push({
      service,
      script: name,
      command: `npm run ${name}`,
      cwd: path.resolve(ctx.root, service.root),
      evidence: evidence({ path: rel, text }, Math.max(0, at)),
      file: file.path,
    });
  }
  return out;
}

/**
 * What the doctor runs once for a service: its start command when it is a job (the runtime run did not start it: no
 * listening port), and its job scripts. Never a service that listens.
 */
export async function oneShotCandidates(
  ctx: CheckContext,
  run: RuntimeRun | undefined,
  service: Service,
): Promise<OneShotCandidate[]> {
  if (!lang(service)) return [];
  const setup = await sdkSetup(ctx, service);
  if (setup.setupFiles.length === 0 && !setup.agentStart) return [];
  const out: OneShotCandidate[] = [];
  const started = run?.services.find((s) => s.service.id === service.id);
  const notStartedForLackOfPort =
    !started || (started.status === 'not-started' && started.port === undefined && started.command !== undefined);
  if (notStartedForLackOfPort && (await isJobService(ctx, service, setup))) {
    out.push({
      service,
      command: service.start!.command,
      cwd: path.resolve(ctx.root, service.root),
      evidence: service.start!.evidence,
    });
  }
  // A script running the very file the job service's start command runs would only run it twice.
  const entry = out.length > 0 ? service.entrypoint?.file : undefined;
  out.push(...(await jobScripts(ctx, service, setup)).filter((s) => s.file !== entry));
  return out;
}

/** 'never': nothing flushes the last batch when the process ends; 'sigterm': a server whose shutdown() nothing calls on SIGTERM. */
type FlushKind = 'never' | 'sigterm';

interface StaticVerdict {
  kind: FlushKind;
  result: CheckResult;
  setup: SdkSetup;
}

/** The spans-flushed-on-shutdown check, on this one service. */
async function staticVerdict(ctx: CheckContext, service: Service, server: boolean): Promise<StaticVerdict | undefined> {
  const l = lang(service);
  if (!l) return undefined;
  const setup = await sdkSetup(ctx, service);
  if (setup.setupFiles.length === 0 || setup.agentStart) return undefined;
  // The sources are cached per repo: read them with every service known (nested services left out) before the check
  // looks at this service alone.
  await serviceSources(ctx, service);
  const result = await spansFlushedOnShutdown.run({ ...ctx, services: [service] });
  if (result.status !== 'fail') return undefined;
  const flushes = setup.files.some((f) => FLUSH[l].test(f.code));
  if (!flushes) return { kind: 'never', result, setup };
  return l === 'node' && server ? { kind: 'sigterm', result, setup } : undefined;
}

/** The check's evidence; for a Node set-up file that never shuts down, the line creating the provider rather than line 1. */
function checkEvidence(v: StaticVerdict): DoctorEvidence[] {
  return v.result.evidence.map((e): DoctorEvidence => {
    if ('note' in e) return { note: e.note };
    const file = v.setup.setupFiles.find((f) => f.path === e.file);
    const m = v.kind === 'never' && e.line === 1 && !e.text && file ? NODE_PROVIDER.exec(file.code) : null;
    if (file && m) {
      const at = evidence(file, m.index);
      return {
        file: at.file,
        line: at.line,
        ...(at.text ? { text: at.text } : {}),
        note: 'the tracer provider is created here; no shutdown() or forceFlush() of it anywhere in the service',
      };
    }
    return { file: e.file, line: e.line, ...(e.text ? { text: e.text } : {}), note: v.result.summary };
  });
}

// ---- proposals ----

const NODE_PROVIDER =
  /\b(?:const|let|var)\s+(\w+)\s*=\s*new\s+(?:[\w$]+\.)?(?:BasicTracerProvider|NodeTracerProvider|WebTracerProvider|NodeSDK)\s*\(/;
const PY_SHUTDOWN_OFF = /(,\s*)?\bshutdown_on_exit\s*=\s*False\b(\s*,)?/;
const GO_PROVIDER = /\b(\w+)\s*:?=\s*(?:\w+\.)?NewTracerProvider\s*\(/;

function unique(text: string, part: string): boolean {
  return part !== '' && text.split(part).length === 2;
}

/** The whole statement around a constructor call whose `(` is at `open`: from its line's start through `)` and `;`. */
function statementThrough(file: SourceFile, matchIndex: number, open: number): string | undefined {
  const close = matchBracket(file.skeleton, open);
  if (close < 0) return undefined;
  const start = file.text.lastIndexOf('\n', matchIndex) + 1;
  const end = file.text[close + 1] === ';' ? close + 2 : close + 1;
  const rest = file.text.slice(end, file.text.indexOf('\n', end) === -1 ? undefined : file.text.indexOf('\n', end));
  // Something else on the same line after the statement (`.start()`, another statement): no safe place to insert.
  if (rest.trim() !== '') return undefined;
  return file.text.slice(start, end);
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function nodeProposals(service: Service, kind: FlushKind, setup: SdkSetup): Proposal[] {
  const head = (title: string, why: string) => headOf(ID, service, title, why, 'backend');
  const why =
    kind === 'never'
      ? 'the batch processor holds spans for seconds and nothing exports them when the process ends'
      : 'SIGTERM ends the server before its last batch is exported';
  for (const file of setup.setupFiles) {
    const m = NODE_PROVIDER.exec(file.code);
    if (!m) continue;
    const name = m[1]!;
    const stmt = statementThrough(file, m.index, m.index + m[0].length - 1);
    if (!stmt || !unique(file.text, stmt)) break;
    const pad = indentOf(stmt);
    const onSignal = `${pad}for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => ${name}.shutdown().finally(() => process.exit(0)));`;
    const lines =
      kind === 'never'
        ? [
            `${pad}// Export what the batch processor still holds before the process ends: when the event loop empties, or when it is stopped.`,
            `${pad}process.once('beforeExit', () => ${name}.shutdown());`,
            onSignal,
          ]
        : [`${pad}// A stopped server exports its last batch before it exits.`, onSignal];
    const proposals = [
      editFile(head(`Shut the tracer provider of ${service.name} down before the process ends`, why), file.path, [
        { old: stmt, new: `${stmt}\n${lines.join('\n')}` },
      ]),
    ];
    const exits = setup.files.flatMap((f) =>
      [...f.code.matchAll(/\bprocess\s*\.\s*exit\s*\(/g)].map((e) => evidence(f, e.index)),
    );
    if (kind === 'never' && exits.length > 0) {
      proposals.push(
        note(
          head(
            `Await ${name}.shutdown() before process.exit() in ${service.name}`,
            'process.exit() ends the process without the beforeExit event',
          ),
          `process.exit() skips 'beforeExit', so the spans are still lost where the code exits explicitly: ${exits.map((e) => `${e.file}:${e.line} (${e.text ?? ''})`).join(', ')}. Await ${name}.shutdown() before each of these calls (e.g. \`await ${name}.shutdown(); process.exit(code);\`).`,
        ),
      );
    }
    return proposals;
  }
  return [
    note(
      head(`Shut the tracer provider of ${service.name} down before the process ends`, why),
      "Await the provider's (or NodeSDK's) shutdown() before the program ends — `await sdk.shutdown()` at the end of a job — and call it on SIGTERM in a server: `process.once('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0)))`. No safe place for an edit was found (the provider is not assigned to a variable on its own statement in the set-up file).",
    ),
  ];
}

function pythonProposals(service: Service, kind: FlushKind, setup: SdkSetup): Proposal[] {
  const head = headOf(
    ID,
    service,
    `Let the tracer provider of ${service.name} flush at exit`,
    'the process ends before the batch processor exports its last batch',
    'backend',
  );
  for (const file of kind === 'never' ? setup.files : []) {
    const m = PY_SHUTDOWN_OFF.exec(file.code);
    if (!m) continue;
    const exact = file.text.slice(m.index, m.index + m[0].length);
    // `(shutdown_on_exit=False)`, `(r, shutdown_on_exit=False)`, `(a, shutdown_on_exit=False, b)`: one comma stays between two arguments.
    if (unique(file.text, exact)) {
      return [
        editFile(
          {
            ...head,
            why: 'TracerProvider(shutdown_on_exit=False) turns off the atexit shutdown that exports the last batch',
          },
          file.path,
          [{ old: exact, new: m[1] && m[2] ? ',' : '' }],
        ),
      ];
    }
    break;
  }
  return [
    note(
      head,
      'Keep the SDK default shutdown_on_exit=True (drop shutdown_on_exit=False), or call provider.shutdown() at the end of the program / atexit.register(provider.shutdown). os._exit() and an unhandled SIGTERM skip atexit: shut the provider down before those too.',
    ),
  ];
}

function goProposals(service: Service, kind: FlushKind, setup: SdkSetup): Proposal[] {
  const head = headOf(
    ID,
    service,
    `Defer the tracer provider's Shutdown in ${service.name}`,
    "main ends without tp.Shutdown(ctx), so the batch processor's last batch is never exported",
    'backend',
  );
  for (const file of kind === 'never' ? setup.files : []) {
    const main = braceFunctions(file).find((r) => r.name === 'main');
    if (!main) continue;
    const m = GO_PROVIDER.exec(file.code.slice(main.start, main.end));
    if (!m || !/"context"/.test(file.code)) continue;
    const at = main.start + m.index;
    const stmt = statementThrough(file, at, at + m[0].length - 1);
    if (
      !stmt ||
      !unique(file.text, stmt) ||
      /\bdefer\b[^\n]*\bShutdown\s*\(/.test(file.code.slice(main.start, main.end))
    )
      continue;
    return [
      editFile(head, file.path, [
        { old: stmt, new: `${stmt}\n${indentOf(stmt)}defer func() { _ = ${m[1]}.Shutdown(context.Background()) }()` },
      ]),
    ];
  }
  return [
    note(
      head,
      'In main, right after the tracer provider is created: `defer func() { _ = tp.Shutdown(context.Background()) }()` (or defer the shutdown function your set-up returns). os.Exit and log.Fatal skip deferred calls: return from main instead, and let a SIGTERM handler make it return.',
    ),
  ];
}

function proposalsFor(service: Service, kind: FlushKind, setup: SdkSetup): Proposal[] {
  return service.language === 'node'
    ? nodeProposals(service, kind, setup)
    : service.language === 'python'
      ? pythonProposals(service, kind, setup)
      : goProposals(service, kind, setup);
}

function staticFinding(service: Service, v: StaticVerdict): Finding {
  const summary =
    v.kind === 'never'
      ? `${service.name}: nothing shuts the tracer provider down or flushes it, so the spans still in the batch when the process ends are lost`
      : `${service.name}: shutdown() exists but nothing calls it on SIGTERM, so a stopped server loses its last batch`;
  return {
    cause: ID,
    service: service.id,
    summary,
    evidence: checkEvidence(v),
    confidence: 'medium',
    proposals: proposalsFor(service, v.kind, v.setup),
  };
}

// ---- the cause ----

function runEvidence(c: OneShotCandidate, r: OneShotResult, root: string): DoctorEvidence[] {
  const where = path.relative(root, r.cwd) || '.';
  const how = r.spawnError
    ? `could not be started: ${r.spawnError}`
    : r.timedOut
      ? `was still running after ${Math.round(r.durationMs / 1000)} s and its process group was killed`
      : `exited with ${r.exitSignal ? `signal ${r.exitSignal}` : `code ${r.exitCode}`} after ${r.durationMs} ms`;
  return [
    {
      file: c.evidence.file,
      line: c.evidence.line,
      ...(c.evidence.text ? { text: c.evidence.text } : {}),
      note: `ran \`${r.command}\` once in ${where} with OTEL_EXPORTER_OTLP_ENDPOINT=${r.env.OTEL_EXPORTER_OTLP_ENDPOINT} OTEL_EXPORTER_OTLP_PROTOCOL=${r.env.OTEL_EXPORTER_OTLP_PROTOCOL} (OTEL_SERVICE_NAME unset); it ${how}`,
    },
    ...(r.outputTail ? [{ note: `its output ended with:\n${r.outputTail}` }] : []),
    {
      note: `${r.spans.length} span${r.spans.length === 1 ? '' : 's'} arrived after it exited (the wait for late spans ended ${r.settledAt - r.startedAt - r.durationMs} ms after the exit)`,
    },
  ];
}

export const noFlushOnExitCause: Cause = {
  id: ID,
  /** Services the doctor does not run once: servers (also the SIGTERM case). Jobs are run once in fromRun. */
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      if (!lang(service)) continue;
      const setup = await sdkSetup(ctx, service);
      if (await isJobService(ctx, service, setup)) continue;
      const v = await staticVerdict(ctx, service, await listens(ctx, service));
      if (v) out.push(staticFinding(service, v));
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    const grpc = answerOf(ctx.skill, 'otlp-protocol', ctx.inputs) === 'grpc';
    for (const service of ctx.services) {
      const candidates = await oneShotCandidates(ctx, run, service);
      if (candidates.length === 0) continue;
      const setup = await sdkSetup(ctx, service);
      const job = await isJobService(ctx, service, setup);
      // A server's reading of the code was reported by fromRepo; a job's is reported here, next to what its run showed.
      const v = job ? await staticVerdict(ctx, service, false) : undefined;
      const ran: { c: OneShotCandidate; r: OneShotResult }[] = [];
      for (const c of candidates)
        ran.push({
          c,
          r: await runOnce(run, c.script ? `${service.id}:${c.script}` : service.id, c.command, c.cwd, { grpc }),
        });
      // Exited and nothing arrived. A failed exit counts only when the code does not flush either: it may have failed
      // before making any span.
      const lost = ran.filter(
        ({ r }) => r.exited && !r.spawnError && r.spans.length === 0 && (r.exitCode === 0 || v !== undefined),
      );
      if (lost.length > 0) {
        const { c, r } = lost[0]!;
        out.push({
          cause: ID,
          service: service.id,
          summary: `${service.name}: \`${c.command}\` exited (code ${r.exitCode}) and 0 of its spans arrived — nothing flushes the tracer provider before the process ends, so its batch is lost`,
          evidence: [...lost.flatMap(({ c, r }) => runEvidence(c, r, ctx.root)), ...(v ? checkEvidence(v) : [])],
          confidence: r.exitCode === 0 ? 'high' : 'medium',
          proposals: proposalsFor(service, 'never', setup),
        });
        continue;
      }
      // A job the doctor could not conclude on (still running at the deadline, not startable, failed): the code's reading stands.
      if (v && !ran.some(({ r }) => r.exited && r.spans.length > 0)) {
        const f = staticFinding(service, v);
        f.evidence.push(...ran.flatMap(({ c, r }) => runEvidence(c, r, ctx.root)));
        out.push(f);
      }
    }
    return out;
  },
};
