/**
 * http-requests-create-server-spans: every probe request to a started service produced a SERVER span in that service,
 * with the HTTP method and status code recorded (route name and http.route are reported, not required). Only probes
 * that reached a route count: a 404 (nothing there) or a status other than the one the user stated is not a probed route.
 */
import type { Check } from '../../check.js';
import { reachedRoute } from '../../runtime/probe-request.js';
import {
  answerOf,
  arrivalDiagnosis,
  probeLabel,
  result,
  runFor,
  spanNote,
  withDownServices,
  type Evidence,
} from './probe-analysis.js';

const ITEM = 'http-requests-create-server-spans';
const METHOD_KEYS = ['http.request.method', 'http.method'];
const STATUS_KEYS = ['http.response.status_code', 'http.status_code'];

export const httpRequestsCreateServerSpans: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const answered = run.probes.filter(reachedRoute);
    const offRoute: Evidence[] = run.probes
      .filter((p) => p.status !== undefined && !reachedRoute(p))
      .map((p) => ({
        note: `${probeLabel(p)}: ${p.status === 404 ? 'not found (404), so no route was probed' : `answered ${p.status}, not the stated ${p.expectedStatus}`}; not counted`,
      }));
    if (answered.length === 0) {
      const why =
        offRoute.length > 0
          ? 'no probe request reached a route (404 or an unexpected status)'
          : 'no probe request was answered';
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'skipped',
          `${why}, so no SERVER span could be expected`,
          [...offRoute, ...run.probes.filter((p) => p.status === undefined).map((p) => ({ note: probeLabel(p) }))],
          offRoute.length > 0
            ? 'State the requests that reach your routes (path with its prefix, query keys, headers) in the probes input or in .trace-guide/probes.yaml, then run the checks again.'
            : undefined,
        ),
      );
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
      const lacks = [METHOD_KEYS, STATUS_KEYS]
        .filter((keys) => !keys.some((k) => span.attributes[k] !== undefined))
        .map((keys) => keys[0]);
      if (lacks.length > 0) thin.push({ note: `${probeLabel(probe)}: ${spanNote(span)} lacks ${lacks.join(', ')}` });
      else
        good.push({
          note: `${probeLabel(probe)}: ${spanNote(span)}${span.attributes['http.route'] ? ` http.route=${String(span.attributes['http.route'])}` : ''}`,
        });
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
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'warn',
          `every probe produced a SERVER span, but ${thin.length} lack the HTTP method or status code`,
          [...thin, ...good.slice(0, 5)],
          'Use the framework instrumentation, which sets http.request.method and http.response.status_code.',
        ),
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(ITEM, 'pass', `${good.length} probe request(s), each answered by a SERVER span`, [...good, ...offRoute]),
    );
  },
};
