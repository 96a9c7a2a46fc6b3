/**
 * pitfall-high-cardinality, runtime half (the item's method is static; this reads what really arrived): no span that
 * arrived while the services ran records a credential — a query parameter named like one (api-key, token, password,
 * sig...), a bearer token, a JWT, a password in a URL or in query text, a credential header. The span is the evidence.
 */
import type { Check } from '../../check.js';
import { credentialsIn, URL_LIKE_ATTRIBUTES } from './credential-values.js';
import { result, runFor, spanNote, withDownServices } from './probe-analysis.js';

const ITEM = 'pitfall-high-cardinality';
const MAX_EVIDENCE = 8;

export const pitfallHighCardinalityAtRuntime: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const spans = run.store.spans();
    if (spans.length === 0) return withDownServices(ITEM, run, result(ITEM, 'skipped', 'no spans arrived, so no recorded values could be read'));
    const leaks = spans.flatMap((span) => credentialsIn(span).map((finding) => ({ span, finding })));
    if (leaks.length > 0) {
      const spansWithLeaks = new Set(leaks.map((l) => l.span.spanId)).size;
      const kinds = [...new Set(leaks.map((l) => `${l.finding.what} in ${l.finding.attribute}`))];
      return result(
        ITEM,
        'fail',
        `${spansWithLeaks} span(s) record credentials: ${kinds.slice(0, 4).join('; ')}${kinds.length > 4 ? '…' : ''}`,
        leaks.slice(0, MAX_EVIDENCE).map((l) => ({ note: `${spanNote(l.span)}: ${l.finding.what} in ${l.finding.attribute}` })),
        'Keep credentials out of spans: send keys in a header the instrumentation does not record (not in the query string), redact sensitive query parameters in the set-up (Node: the http instrumentation\'s redactedQueryParams / redactedQueryParamsServer), never capture Authorization or Cookie headers, and use bound parameters in queries.',
      );
    }
    const checked = spans.filter((s) => Object.keys(s.attributes).some((k) => (URL_LIKE_ATTRIBUTES as readonly string[]).includes(k) || k.startsWith('http.request.header.'))).length;
    if (checked === 0) {
      return withDownServices(ITEM, run, result(ITEM, 'nothing-to-check', `nothing to check: none of the ${spans.length} span(s) carries a URL, query, query text or header attribute`));
    }
    return withDownServices(ITEM, run, result(ITEM, 'pass', `no credentials in the URL, query, query-text or header attributes of ${checked} span(s)`, [{ note: `${checked} of ${spans.length} span(s) carried such attributes` }]));
  },
};
