/**
 * trace-ids-in-logs: the lines a service writes while it handles the probes carry 32-hex trace ids of traces the
 * receiver got. Judged per service that logged during the probes: at least one line must match a received trace, and
 * lines with ids in the wrong form (upper case, all zero) are reported.
 */
import type { Check } from '../../check.js';
import { result, runFor, running, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'trace-ids-in-logs';
const HEX32 = /(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])/g;

export const traceIdsInLogs: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const failing: Evidence[] = [];
    const good: Evidence[] = [];
    const quiet: string[] = [];
    for (const s of running(run)) {
      const lines = run
        .logLines(s.service.id)
        .filter((l) => l.at >= run.probeWindow.start && l.at <= run.probeWindow.end && l.text.trim() !== '');
      if (lines.length === 0) {
        quiet.push(s.service.name);
        continue;
      }
      let matching = 0;
      let example: string | undefined;
      let wrongForm: string | undefined;
      for (const line of lines) {
        const ids = [...line.text.matchAll(HEX32)].map((m) => m[0]);
        const match = ids.find((id) => id === id.toLowerCase() && !/^0+$/.test(id) && run.store.hasTrace(id));
        if (match) {
          matching++;
          example ??= line.text;
        } else if (ids.some((id) => id !== id.toLowerCase() && run.store.hasTrace(id))) {
          wrongForm ??= line.text;
        }
      }
      if (matching === 0) {
        failing.push({
          note: `${s.service.name}: none of its ${lines.length} line(s) during the probes carries a trace id the receiver got, e.g. "${lines[0]?.text.slice(0, 200)}"`,
        });
        if (wrongForm)
          failing.push({
            note: `${s.service.name} writes the id in upper case: "${wrongForm.slice(0, 200)}" (W3C and the backends use 32 lower-case hex)`,
          });
      } else {
        good.push({
          note: `${s.service.name}: ${matching} of ${lines.length} line(s) carry a received trace id, e.g. "${(example ?? '').slice(0, 200)}"`,
        });
      }
    }
    const fix =
      'Write trace_id and span_id into each log line: Node console via the generated log-correlation module or pino/winston instrumentation; Python logging with OTEL_PYTHON_LOG_CORRELATION=true (LoggingInstrumentor) and %(otelTraceID)s in the format; Go with trace.SpanContextFromContext(ctx).TraceID().String() in the log call.';
    if (failing.length > 0)
      return result(
        ITEM,
        'fail',
        `${failing.filter((f) => 'note' in f && !f.note.includes('upper case')).length} service(s) log without matching trace ids`,
        [...failing, ...good],
        fix,
      );
    if (good.length === 0)
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', `no service wrote a log line while handling the probes (${quiet.join(', ')})`, [], fix),
      );
    const notes = quiet.length > 0 ? [{ note: `wrote nothing during the probes: ${quiet.join(', ')}` }] : [];
    return withDownServices(
      ITEM,
      run,
      result(ITEM, 'pass', `log lines of ${good.length} service(s) carry trace ids of received traces`, [
        ...good,
        ...notes,
      ]),
    );
  },
};
