/**
 * http-requests-create-server-spans: every probe request to a started service produced a SERVER span in that service,
 * with the HTTP method and status code recorded (route name and http.route are reported, not required).
 */
import type { Check } from '../../check.js';
import { answerOf, arrivalDiagnosis, probeLabel, result, runFor, spanNote, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'http-requests-create-server-spans';
const METHOD_KEYS = ['http.request.method', 'http.method'];
const STATUS_KEYS = ['http.response.status_code', 'http.status_code'];

export const httpRequestsCreateServerSpans: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const answered = run.probes.filter((p) => p.status !== undefined);
    if (answered.length === 0) {
      return withDownServices(ITEM, run, result(ITEM, 'skipped', 'no probe request was answered, so no SERVER span could be expected', run.probes.map((p) => ({ note: probeLabel(p) }))));
    }
    const missing: Evidence[] = [];
    const wrongKind: Evidence[] = [];
    const thin: Evidence[] = [];
    const good: Evidence[] = [];
    for (const probe of answered) {
      const answer = answerOf(run, probe);
      if (!answer) {
        missing.push({ note: `${probeLabel(probe)}: no span arrived for this request` });
        continue;
      }
      const span = answer.span;
      if (span.kind !== 'server') {
        wrongKind.push({ note: `${probeLabel(probe)}: the first span is ${spanNote(span)}, not kind SERVER` });
        continue;
      }
      const lacks = [METHOD_KEYS, STATUS_KEYS].filter((keys) => !keys.some((k) => span.attributes[k] !== undefined)).map((keys) => keys[0]);
      if (lacks.length > 0) thin.push({ note: `${probeLabel(probe)}: ${spanNote(span)} lacks ${lacks.join(', ')}` });
      else good.push({ note: `${probeLabel(probe)}: ${spanNote(span)}${span.attributes['http.route'] ? ` http.route=${String(span.attributes['http.route'])}` : ''}` });
    }
    if (missing.length > 0 || wrongKind.length > 0) {
      return result(
        ITEM,
        'fail',
        `${missing.length + wrongKind.length} of ${answered.length} probe request(s) produced no SERVER span`,
        [...missing, ...wrongKind, ...good.slice(0, 5), ...arrivalDiagnosis(run)],
        'Instrument the HTTP server of each service (Node: @opentelemetry/auto-instrumentations-node loaded with --require/--import before the app; Python: opentelemetry-instrument or FlaskInstrumentor; Go: otelgin/otelhttp middleware) and point OTEL_EXPORTER_OTLP_ENDPOINT at the backend.',
      );
    }
    if (thin.length > 0) {
      return withDownServices(ITEM, run, result(ITEM, 'warn', `every probe produced a SERVER span, but ${thin.length} lack the HTTP method or status code`, [...thin, ...good.slice(0, 5)], 'Use the framework instrumentation, which sets http.request.method and http.response.status_code.'));
    }
    return withDownServices(ITEM, run, result(ITEM, 'pass', `${good.length} probe request(s), each answered by a SERVER span`, good));
  },
};
