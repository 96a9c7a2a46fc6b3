/**
 * attributes-semconv-and-business-context: the spans of the probes use the stable semantic-convention names (not the
 * deprecated http.method, http.status_code, db.statement...), and the business attributes chosen in step 3 appear with
 * string, number or boolean values.
 */
import type { Check } from '../../check.js';
import { answerOf as answerOfInput } from '../../../skill/lookup.js';
import type { AttributeValue, ReceivedSpan } from '../../receiver/span.js';
import { probeTraceSpans, result, runFor, spanNote, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'attributes-semconv-and-business-context';

/** Deprecated name → its stable replacement. */
export const DEPRECATED_ATTRIBUTES: Record<string, string> = {
  'http.method': 'http.request.method',
  'http.status_code': 'http.response.status_code',
  'http.url': 'url.full',
  'http.target': 'url.path',
  'http.scheme': 'url.scheme',
  'net.peer.name': 'server.address',
  'net.peer.port': 'server.port',
  'net.host.name': 'server.address',
  'net.host.port': 'server.port',
  'db.statement': 'db.query.text',
  'db.system': 'db.system.name',
  'db.name': 'db.namespace',
  'db.operation': 'db.operation.name',
};

function isScalarish(value: AttributeValue): boolean {
  if (Array.isArray(value))
    return value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function businessAttributes(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const attributesSemconvAndBusinessContext: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const spans: ReceivedSpan[] = [...probeTraceSpans(run).values()].flat();
    if (spans.length === 0)
      return withDownServices(
        ITEM,
        run,
        result(ITEM, 'skipped', 'no spans arrived for the probe requests, so there are no attributes to read'),
      );
    const deprecatedOnly = new Map<string, ReceivedSpan>();
    const duplicated = new Map<string, ReceivedSpan>();
    for (const span of spans) {
      for (const [old, stable] of Object.entries(DEPRECATED_ATTRIBUTES)) {
        if (span.attributes[old] === undefined) continue;
        const key = `${span.serviceName}: ${old}`;
        if (span.attributes[stable] === undefined) deprecatedOnly.set(key, span);
        else duplicated.set(key, span);
      }
    }
    const wanted = businessAttributes(answerOfInput(ctx.skill, 'business-attributes', ctx.inputs));
    const missing: string[] = [];
    const badValue: Evidence[] = [];
    const found: Evidence[] = [];
    for (const key of wanted) {
      const carrier = spans.find((s) => s.attributes[key] !== undefined);
      if (!carrier) {
        missing.push(key);
        continue;
      }
      const value = carrier.attributes[key] as AttributeValue;
      if (!isScalarish(value))
        badValue.push({
          note: `${key} on ${spanNote(carrier)} is ${JSON.stringify(value)}: use a string, number or boolean`,
        });
      else found.push({ note: `${key}=${JSON.stringify(value)} on ${spanNote(carrier)}` });
    }
    const deprecatedNotes = [...deprecatedOnly].map(([key, span]) => ({
      note: `${key} without ${DEPRECATED_ATTRIBUTES[key.split(': ')[1] ?? ''] ?? '?'} (e.g. ${spanNote(span)})`,
    }));
    const fix =
      "Use the stable names (http.request.method, http.response.status_code, url.full, db.system.name, db.query.text); instrumentations that still emit the old ones switch with OTEL_SEMCONV_STABILITY_OPT_IN=http,database (Python, Node) or a newer release. Put business context on the request's span with setAttribute / set_attribute / SetAttributes.";
    const problems: string[] = [];
    if (deprecatedOnly.size > 0)
      problems.push(`${deprecatedOnly.size} deprecated attribute name(s) without their stable replacement`);
    if (badValue.length > 0) problems.push(`${badValue.length} business attribute(s) with a non-scalar value`);
    if (wanted.length > 0 && found.length === 0 && badValue.length === 0)
      problems.push(`none of the business attributes (${wanted.join(', ')}) appeared on the probed requests' spans`);
    if (problems.length > 0)
      return result(
        ITEM,
        'fail',
        problems.join('; '),
        [
          ...deprecatedNotes,
          ...badValue,
          ...found,
          ...(missing.length ? [{ note: `missing: ${missing.join(', ')}` }] : []),
        ],
        fix,
      );
    if (missing.length > 0 || duplicated.size > 0) {
      const parts = [
        missing.length ? `business attribute(s) not seen on the probed requests: ${missing.join(', ')}` : '',
        duplicated.size ? `${duplicated.size} deprecated name(s) sent beside the stable ones (duplicate mode)` : '',
      ].filter(Boolean);
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'warn',
          parts.join('; '),
          [...found, ...[...duplicated.keys()].map((k) => ({ note: `${k} sent beside its stable name` }))],
          fix,
        ),
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${spans.length} span(s) use stable attribute names${wanted.length ? `; business attributes present: ${wanted.join(', ')}` : ''}`,
        found,
      ),
    );
  },
};
