/**
 * Step 6 for Python services: trace and span ids in the log lines the service really writes. The logging
 * instrumentation adds otelTraceID / otelSpanID to each LogRecord (installed from otel_setup.py, so every process and
 * thread gets it), every handler's line written inside a span gets `trace_id=… span_id=…` appended (the app's loggers
 * and the server's: uvicorn's access line is written inside the request's span), and the app's own log formats gain
 * `trace_id=%(otelTraceID)s span_id=%(otelSpanID)s`. When the app writes no log line of its own and its server's access
 * line comes after the span ended (Flask, Django), the instrumentor's response_hook logs one line per request inside
 * the span, as a visible edit. structlog and loguru get their processor as a note.
 * A service run by the opentelemetry-instrument wrapper gets OTEL_PYTHON_LOG_CORRELATION=true instead.
 */
import type { Service } from '../../../types/scan.js';
import { editFile, note, requiredNote, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { addPythonPackages, detectPythonManager } from './package-manager.js';
import { foreignTracing, hasOpenTelemetry, isPythonWebService, setupModulePath } from './service-facts.js';
import { insertAfterRange, replaceRange } from './text-edits.js';
import { LOGGING_INSTRUMENTATION } from './versions.js';

const STEP = 'correlation' as const;
const IDS = 'trace_id=%(otelTraceID)s span_id=%(otelSpanID)s ';
const SETUP_ANCHOR = /^from opentelemetry\.sdk\.trace\.export import BatchSpanProcessor[^\n]*\n/m;
/** A %-style log format with %(message)s: `format="..."`, `fmt="..."` or the first argument of logging.Formatter(...). */
const LOG_FORMAT =
  /(?:\b(?:format|fmt)\s*=\s*|\bFormatter\(\s*)(["'])((?:(?!\1)[^\n])*%\(message\)s(?:(?!\1)[^\n])*)\1/g;

/** Files of the service that the scan saw using `logging`, with the log formats they define. */
async function logFormats(ctx: PlanContext, service: Service) {
  const files = [...new Set(service.logging.filter((l) => l.name === 'logging').map((l) => l.evidence.file))];
  const out: Array<{ file: string; text: string; formats: RegExpExecArray[] }> = [];
  for (const file of files) {
    const text = await ctx.repo.read(file);
    if (text === undefined) continue;
    const formats = [...text.matchAll(LOG_FORMAT)] as RegExpExecArray[];
    if (formats.length > 0) out.push({ file, text, formats });
  }
  return out;
}

/** Whether the app's own code logs (stdlib logging, structlog or loguru), as the scan saw it; the set-up module is trace-guide's, not the app's. */
function ownLogs(service: Service): boolean {
  const setup = setupModulePath(service);
  return service.logging.some(
    (l) => (l.name === 'logging' || l.name === 'structlog' || l.name === 'loguru') && l.evidence.file !== setup,
  );
}

interface RequestLogHook {
  framework: string;
  accessLoggers: string;
  calls: string[];
}

/**
 * The instrumentor calls of the generated set-up that can take a response_hook for this service's framework, when the
 * skill says that framework's access line is written after the request's span ended (templates/python/request-log-hooks.json).
 */
async function requestLogHook(ctx: PlanContext, service: Service, setup: string): Promise<RequestLogHook | undefined> {
  const data = JSON.parse(await ctx.templates.raw('python/request-log-hooks.json')) as {
    frameworks: Record<string, { accessLoggers: string; calls: string[] }>;
  };
  for (const f of service.frameworks) {
    const entry = data.frameworks[f.name];
    if (!entry) continue;
    const calls = entry.calls.filter((c) => setup.split(c).length === 2);
    if (calls.length > 0) return { framework: f.name, accessLoggers: entry.accessLoggers, calls };
  }
  return undefined;
}

/** `X().instrument()` → `X().instrument(response_hook=log_request_in_span)`; an existing argument list keeps its arguments. */
function withHookArgument(call: string): string {
  const open = call.lastIndexOf('(');
  const args = call.slice(open + 1, -1).trim();
  return `${call.slice(0, open + 1)}${args === '' ? '' : `${args}, `}response_hook=log_request_in_span)`;
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  if (foreignTracing(service).length > 0) return [];
  const head = serviceHeads(STEP, service);
  const proposals: Proposal[] = [];
  const setupPath = setupModulePath(service);
  const setup = await ctx.repo.read(setupPath);
  const usesStdlib = service.logging.some((l) => l.name === 'logging');

  if (setup === undefined) {
    if (!(await hasOpenTelemetry(ctx, service))) return [];
    if (/\bOTEL_PYTHON_LOG_CORRELATION=true\b/i.test(service.start?.command ?? '')) return [];
    proposals.push(
      note(
        head(
          'log-correlation',
          'Turn on log correlation',
          'The opentelemetry-instrument wrapper adds trace ids to log records only when asked.',
        ),
        `Install ${LOGGING_INSTRUMENTATION.name}==${LOGGING_INSTRUMENTATION.version} and set OTEL_PYTHON_LOG_CORRELATION=true where ${service.name} starts; put %(otelTraceID)s and %(otelSpanID)s in the log format (or set OTEL_PYTHON_LOG_FORMAT).`,
      ),
    );
    return proposals;
  }

  if (!setup.includes('LoggingInstrumentor')) {
    // The framework and server loggers (werkzeug, gunicorn, uvicorn, django) use the stdlib logging module even when the
    // app's own code does not, so the record fields and the id suffix are installed for every Python web service.
    const detection = await detectPythonManager(ctx, service);
    const depsHead = head(
      'logging-package',
      `Add ${LOGGING_INSTRUMENTATION.name}`,
      'It puts the current trace and span id on every log record.',
    );
    const deps = detection.ok
      ? await addPythonPackages(ctx, service, detection.manager, [LOGGING_INSTRUMENTATION], depsHead)
      : [
          note(
            depsHead,
            `${detection.reason} Add ${LOGGING_INSTRUMENTATION.name}==${LOGGING_INSTRUMENTATION.version} there.`,
          ),
        ];
    proposals.push(...deps);

    const formats = usesStdlib ? await logFormats(ctx, service) : [];
    const hook = ownLogs(service) ? undefined : await requestLogHook(ctx, service, setup);
    const anchor = SETUP_ANCHOR.exec(setup);
    if (anchor) {
      const block = await ctx.templates.render('python/log-correlation.py', {
        setLoggingFormat: formats.length > 0 ? 'False' : 'True',
        requestLog: hook !== undefined,
        loggerName: `${service.name}.requests`.replace(/[^\w.-]/g, '_'),
        accessLogger: hook?.accessLoggers ?? '',
      });
      proposals.push(
        editFile(
          head(
            'log-record-ids',
            `Add trace ids to log lines (${setupPath})`,
            `Every line a logging handler writes inside a span ends with trace_id and span_id, in the app's format and the server's (access logs written inside the request's span are correlated too).${
              formats.length > 0
                ? ' The log format below prints them as well.'
                : ' No log format was found in the code, so the instrumentation sets one with the ids when logging is not configured yet.'
            }`,
            deps.filter((p) => p.change.kind === 'edit').map((p) => p.id),
          ),
          setupPath,
          [insertAfterRange(setup, anchor.index, anchor.index + anchor[0].length, block)],
        ),
      );
      if (hook) {
        proposals.push(
          editFile(
            head(
              'request-log-line',
              `Log one line per request inside its span (${setupPath})`,
              `${service.name} writes no log line of its own while it handles a request, and the server's access line (${hook.accessLoggers}) is written after the request's span has ended, so no line it writes today can carry a trace id. The ${hook.framework} instrumentation's response_hook logs "handled <route>" while the span is current.`,
              [`${service.id}:log-record-ids`],
            ),
            setupPath,
            hook.calls.map((call) => ({ old: call, new: withHookArgument(call) })),
          ),
        );
      }
    } else if (!ownLogs(service)) {
      proposals.push(
        requiredNote(
          head(
            'request-log-line',
            `Write a log line while ${service.name} handles a request`,
            "A trace id can only be found in a line written inside the request's span.",
          ),
          `${service.name} writes no log line of its own during a request, and ${setupPath} is not the generated set-up, so trace-guide cannot add one. Log one line in a request handler (logging.getLogger(__name__).info(...)) after the logging instrumentation is installed.`,
        ),
      );
    }
    for (const { file, text, formats: found } of formats) {
      const pending = found.filter((f) => !f[2]!.includes('otelTraceID'));
      if (pending.length === 0) continue;
      let next = text;
      for (const f of [...pending].reverse()) {
        const at = f.index + f[0].lastIndexOf('%(message)s');
        next = next.slice(0, at) + IDS + next.slice(at);
      }
      const only = pending[0]!;
      const edit =
        pending.length === 1
          ? replaceRange(
              text,
              only.index,
              only.index + only[0].length,
              next.slice(only.index, only.index + only[0].length + IDS.length),
            )
          : { old: text, new: next };
      proposals.push(
        editFile(
          head(
            `log-format:${file}`,
            `Print trace ids in ${file}'s log lines`,
            'Each line then carries the 32-hex trace id that finds its trace.',
            [`${service.id}:log-record-ids`],
          ),
          file,
          [edit],
        ),
      );
    }
  }

  for (const lib of ['structlog', 'loguru'] as const) {
    const finding = service.logging.find((l) => l.name === lib);
    if (!finding) continue;
    const existing = await ctx.repo.read(finding.evidence.file);
    if (existing?.includes('format_trace_id')) continue;
    const snippet = await ctx.templates.render(
      lib === 'structlog' ? 'python/structlog-processor.py' : 'python/loguru-patcher.py',
      {},
    );
    proposals.push(
      note(
        head(
          `${lib}-trace-ids`,
          `Add trace ids to ${lib} output`,
          `${lib} does not use LogRecord fields, so it needs its own hook.`,
        ),
        `Where ${lib} is configured (seen in ${finding.evidence.file}:${finding.evidence.line}), add:\n${snippet}`,
      ),
    );
  }
  return proposals;
}

export const pythonCorrelation: Recipe = {
  id: 'python-correlation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => isPythonWebService(service),
  plan: planService,
};
