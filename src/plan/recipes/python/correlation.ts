/**
 * Step 6 for Python services: trace and span ids in every log line. The logging instrumentation adds otelTraceID /
 * otelSpanID to each LogRecord (installed from otel_setup.py, so every process and thread gets it), and the app's log
 * format gains `trace_id=%(otelTraceID)s span_id=%(otelSpanID)s`. structlog and loguru get their processor as a note.
 * A service run by the opentelemetry-instrument wrapper gets OTEL_PYTHON_LOG_CORRELATION=true instead.
 */
import type { Service } from '../../../repo/scan-schema.js';
import { editFile, note, serviceHeads } from '../../build.js';
import type { PlanContext } from '../../context.js';
import type { Proposal } from '../../proposal.js';
import type { Recipe } from '../../recipe.js';
import { addPythonPackages, detectPythonManager } from './package-manager.js';
import { foreignTracing, hasOpenTelemetry, isPythonWebService, setupModulePath } from './service-facts.js';
import { insertAfterRange, replaceRange } from './text-edits.js';
import { LOGGING_INSTRUMENTATION } from './versions.js';

const STEP = 'correlation' as const;
const IDS = 'trace_id=%(otelTraceID)s span_id=%(otelSpanID)s ';
const SETUP_ANCHOR = /^from opentelemetry\.sdk\.trace\.export import BatchSpanProcessor[^\n]*\n/m;
/** A %-style log format with %(message)s: `format="..."`, `fmt="..."` or the first argument of logging.Formatter(...). */
const LOG_FORMAT = /(?:\b(?:format|fmt)\s*=\s*|\bFormatter\(\s*)(["'])((?:(?!\1)[^\n])*%\(message\)s(?:(?!\1)[^\n])*)\1/g;


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
        head('log-correlation', 'Turn on log correlation', 'The opentelemetry-instrument wrapper adds trace ids to log records only when asked.'),
        `Install ${LOGGING_INSTRUMENTATION.name}==${LOGGING_INSTRUMENTATION.version} and set OTEL_PYTHON_LOG_CORRELATION=true where ${service.name} starts; put %(otelTraceID)s and %(otelSpanID)s in the log format (or set OTEL_PYTHON_LOG_FORMAT).`,
      ),
    );
    return proposals;
  }

  if (usesStdlib && !setup.includes('LoggingInstrumentor')) {
    const detection = await detectPythonManager(ctx, service);
    const depsHead = head('logging-package', `Add ${LOGGING_INSTRUMENTATION.name}`, 'It puts the current trace and span id on every log record.');
    const deps = detection.ok
      ? await addPythonPackages(ctx, service, detection.manager, [LOGGING_INSTRUMENTATION], depsHead)
      : [note(depsHead, `${detection.reason} Add ${LOGGING_INSTRUMENTATION.name}==${LOGGING_INSTRUMENTATION.version} there.`)];
    proposals.push(...deps);

    const formats = await logFormats(ctx, service);
    const anchor = SETUP_ANCHOR.exec(setup);
    if (anchor) {
      const block = await ctx.templates.render('python/log-correlation.py', { setLoggingFormat: formats.length > 0 ? 'False' : 'True' });
      proposals.push(
        editFile(
          head(
            'log-record-ids',
            `Add trace ids to log records (${setupPath})`,
            formats.length > 0
              ? 'The log format below prints them; the instrumentation only supplies the fields.'
              : 'No log format was found in the code, so the instrumentation sets one with the ids when logging is not configured yet.',
            deps.filter((p) => p.change.kind === 'edit').map((p) => p.id),
          ),
          setupPath,
          [insertAfterRange(setup, anchor.index, anchor.index + anchor[0].length, block)],
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
          ? replaceRange(text, only.index, only.index + only[0].length, next.slice(only.index, only.index + only[0].length + IDS.length))
          : { old: text, new: next };
      proposals.push(
        editFile(
          head(`log-format:${file}`, `Print trace ids in ${file}'s log lines`, 'Each line then carries the 32-hex trace id that finds its trace.', [`${service.id}:log-record-ids`]),
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
    const snippet = await ctx.templates.render(lib === 'structlog' ? 'python/structlog-processor.py' : 'python/loguru-patcher.py', {});
    proposals.push(
      note(
        head(`${lib}-trace-ids`, `Add trace ids to ${lib} output`, `${lib} does not use LogRecord fields, so it needs its own hook.`),
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
