/**
 * pitfall-credentials-in-spans (runtime, required from the step that first runs the services): no span that arrived
 * records a credential — a query parameter named like one (api-key, token, password, sig...), a bearer token, a JWT, a
 * password in a URL or in query text, a credential header. The span, the attribute and its value with the secret
 * redacted are the evidence. Every text value of every span is read (request-data attributes by name, all by shape); a
 * run where no span records any text value has nothing to check, never a pass. A server that records no URL at all
 * (Django under runserver, whose WSGI environ has no RAW_URI, with the stable HTTP conventions) passes over what it did
 * record, and the evidence says that no URL or query attribute was recorded.
 */
import type { Check } from '../../check.js';
import { credentialsIn, examinedAttributes, redactedValue, requestDataAttributes } from './credential-values.js';
import { arrivalDiagnosis, result, runFor, spanNote, withDownServices } from './probe-analysis.js';

const ITEM = 'pitfall-credentials-in-spans';
const MAX_EVIDENCE = 8;

const FIX =
  "Keep credentials out of spans: send keys in a header the instrumentation does not record (not in the query string), redact sensitive query parameters in the set-up (Node: the http instrumentation's redactedQueryParams / redactedQueryParamsServer; Python: rewrite url.query, url.full and http.target before export, as trace-guide's set-up does with a wrapper around its exporter (a span processor's on_start is too early: Flask sets them again)), never capture Authorization or Cookie headers, and use bound parameters in queries.";

export const pitfallCredentialsInSpans: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const spans = run.store.spans();
    if (spans.length === 0)
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', 'no spans arrived, so no recorded values could be read', arrivalDiagnosis(run)),
      );
    const leaks = spans.flatMap((span) => credentialsIn(span).map((finding) => ({ span, finding })));
    if (leaks.length > 0) {
      const spansWithLeaks = new Set(leaks.map((l) => l.span.spanId)).size;
      const kinds = [...new Set(leaks.map((l) => `${l.finding.what} in ${l.finding.attribute}`))];
      return result(
        ITEM,
        'fail',
        `${spansWithLeaks} span(s) record credentials: ${kinds.slice(0, 4).join('; ')}${kinds.length > 4 ? '…' : ''}`,
        leaks.slice(0, MAX_EVIDENCE).map((l) => ({
          note: `${spanNote(l.span)}: ${l.finding.what} in ${l.finding.attribute} = ${JSON.stringify(redactedValue(l.span.attributes[l.finding.attribute]))}`,
        })),
        FIX,
      );
    }
    const examined = spans.map((s) => ({ span: s, keys: examinedAttributes(s) })).filter((e) => e.keys.length > 0);
    const attributes = examined.reduce((n, e) => n + e.keys.length, 0);
    if (attributes === 0) {
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'nothing-to-check',
          `nothing to check: 0 attributes checked, none of the ${spans.length} span(s) records a text value`,
        ),
      );
    }
    const keys = [...new Set(examined.flatMap((e) => e.keys))].sort();
    const requestData = requestDataAttributes(keys);
    const readByName =
      requestData.length > 0
        ? `request data read: ${requestData.join(', ')}`
        : 'no URL, query, query-text or header attribute was recorded';
    return withDownServices(
      ITEM,
      run,
      result(ITEM, 'pass', `no credentials in ${attributes} text attribute(s) of ${examined.length} span(s)`, [
        {
          note: `${examined.length} of ${spans.length} span(s) checked; ${readByName}; every text value read for tokens, JWTs and URL passwords`,
        },
      ]),
    );
  },
};
