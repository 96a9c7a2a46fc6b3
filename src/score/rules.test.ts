/**
 * Every rule on spans that pass and spans that fail, built in the receiver's stored shape (ReceivedSpan), as the
 * receiver would hand them over after a run.
 */
import { describe, expect, it } from 'vitest';
import type { Attributes, ReceivedSpan, SpanKindName } from '../verify/receiver/span.js';
import { evaluateScore } from './evaluate.js';
import { ruleById } from './registry.js';
import { unboundedPart } from './rules/spa-003.js';
import {
  remoteParentKey,
  type RuleVerdict,
  type ScoreInput,
  type SdkRuntimeFacts,
  type ScoredLogRecord,
} from './types.js';

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);
let next = 1;
const id = () => (next++).toString(16).padStart(16, '0');

function resourceOf(service: string, extra: Attributes = {}): Attributes {
  return {
    'service.name': service,
    'service.instance.id': `${service}-1`,
    'telemetry.sdk.language': 'nodejs',
    ...extra,
  };
}

interface SpanSpec {
  trace?: string;
  spanId?: string;
  parent?: string;
  name?: string;
  kind?: SpanKindName;
  ms?: number;
  attributes?: Attributes;
  resource?: Attributes;
}

function span(spec: SpanSpec = {}): ReceivedSpan {
  const resource = spec.resource ?? resourceOf('shop');
  const start = 1_700_000_000_000_000_000n;
  const ms = spec.ms ?? 20;
  const name = resource['service.name'];
  return {
    traceId: spec.trace ?? TRACE_A,
    spanId: spec.spanId ?? id(),
    ...(spec.parent ? { parentSpanId: spec.parent } : {}),
    name: spec.name ?? 'GET /items/{id}',
    kind: spec.kind ?? 'server',
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(Math.round(ms * 1e6)),
    durationMs: ms,
    attributes: spec.attributes ?? {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: { code: 'unset' },
    resource,
    serviceName: typeof name === 'string' && name ? name : 'unknown_service',
    scope: { name: 'test' },
    receivedVia: 'http/protobuf',
    receivedAt: 0,
  };
}

function input(spans: ReceivedSpan[], extra: Partial<ScoreInput> = {}): ScoreInput {
  return {
    spans,
    remoteParents: new Set(),
    logs: { received: false, reason: 'the receiver takes traces only' },
    sdk: [],
    ...extra,
  };
}

function run(ruleId: string, given: ScoreInput): RuleVerdict {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.evaluate(given);
}

/** A root SERVER span with `children` INTERNAL children of the same service. */
function traceWith(children: number, childSpec: SpanSpec = {}, trace = TRACE_A): ReceivedSpan[] {
  const root = span({ trace });
  return [
    root,
    ...Array.from({ length: children }, () =>
      span({ trace, parent: root.spanId, kind: 'internal', name: 'work', ...childSpec }),
    ),
  ];
}

describe('every rule, with no span at all', () => {
  it.each(['RES-001', 'RES-004', 'RES-005', 'SPA-001', 'SPA-002', 'SPA-003', 'SPA-004', 'SPA-005'])(
    '%s is not evaluated, never passed',
    (ruleId) => {
      expect(run(ruleId, input([])).status).toBe('not-evaluated');
    },
  );
});

describe('RES-001 service.instance.id', () => {
  it('passes when every resource carries it', () => {
    expect(run('RES-001', input(traceWith(2))).status).toBe('pass');
  });
  it('fails per resource that lacks it, naming the service, attribute and spans', () => {
    const bare = span({ resource: { 'service.name': 'cart' } });
    const verdict = run('RES-001', input([...traceWith(1), bare]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([
      expect.objectContaining({ service: 'cart', attribute: 'service.instance.id', spanIds: [bare.spanId], count: 1 }),
    ]);
  });
});

describe('RES-004 attributes at the right level', () => {
  it('passes on span keys on spans and resource keys on the resource', () => {
    expect(
      run('RES-004', input([span({ attributes: { 'http.request.method': 'GET', 'url.path': '/items/1' } })])).status,
    ).toBe('pass');
  });
  it('fails on service.name set on a span', () => {
    const wrong = span({ attributes: { 'service.name': 'shop' } });
    const verdict = run('RES-004', input([wrong]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([
      expect.objectContaining({ service: 'shop', attribute: 'service.name', spanIds: [wrong.spanId] }),
    ]);
  });
  it('fails on http.method set on the resource', () => {
    const verdict = run('RES-004', input([span({ resource: resourceOf('shop', { 'http.method': 'GET' }) })]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]).toMatchObject({ attribute: 'http.method', service: 'shop' });
  });
});

describe('RES-005 service.name', () => {
  it('passes when every resource names its service', () => {
    expect(run('RES-005', input(traceWith(1))).status).toBe('pass');
  });
  it.each([
    ['missing', { 'service.instance.id': 'x' }],
    ['empty', { 'service.name': '' }],
    ["the SDK's default", { 'service.name': 'unknown_service:node' }],
  ])('fails when it is %s', (_what, resource) => {
    const verdict = run('RES-005', input([span({ resource })]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]).toMatchObject({ attribute: 'service.name', count: 1 });
  });
});

describe('RES-006 service.criticality (proposed)', () => {
  it('passes when absent or valid', () => {
    expect(
      run('RES-006', input([span(), span({ resource: resourceOf('cart', { 'service.criticality': 'high' }) })])).status,
    ).toBe('pass');
  });
  it('fails on a value outside the enum', () => {
    expect(
      run('RES-006', input([span({ resource: resourceOf('cart', { 'service.criticality': 'HIGH' }) })])).status,
    ).toBe('fail');
  });
});

describe('RES-007 deployment.environment.name (proposed)', () => {
  it('passes when set', () => {
    expect(
      run('RES-007', input([span({ resource: resourceOf('shop', { 'deployment.environment.name': 'dev' }) })])).status,
    ).toBe('pass');
  });
  it('fails when only the deprecated key is set', () => {
    const verdict = run(
      'RES-007',
      input([span({ resource: resourceOf('shop', { 'deployment.environment': 'dev' }) })]),
    );
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]?.note).toContain('deprecated');
  });
});

describe('SPA-001 INTERNAL spans per service per trace', () => {
  it('passes at 10', () => {
    expect(run('SPA-001', input(traceWith(10))).status).toBe('pass');
  });
  it('fails at 11, with the trace, service and count', () => {
    const verdict = run('SPA-001', input(traceWith(11)));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([expect.objectContaining({ service: 'shop', traceId: TRACE_A, count: 11 })]);
  });
  it('counts per service: 6 + 6 INTERNAL spans of two services in one trace pass', () => {
    const root = span();
    const other = resourceOf('cart');
    const spans = [
      root,
      ...Array.from({ length: 6 }, () => span({ parent: root.spanId, kind: 'internal' })),
      ...Array.from({ length: 6 }, () => span({ parent: root.spanId, kind: 'internal', resource: other })),
    ];
    expect(run('SPA-001', input(spans)).status).toBe('pass');
  });
});

describe('SPA-002 orphan spans', () => {
  it('passes when every parent arrived', () => {
    expect(run('SPA-002', input(traceWith(3))).status).toBe('pass');
  });
  it("does not count a span under the probe's never-exported parent", () => {
    const probeParent = id();
    const entry = span({ parent: probeParent });
    expect(
      run('SPA-002', input([entry], { remoteParents: new Set([remoteParentKey(TRACE_A, probeParent)]) })).status,
    ).toBe('pass');
  });
  it('fails on a span whose parent never arrived, naming it', () => {
    const lost = span({ parent: id(), name: 'SELECT items', kind: 'client' });
    const verdict = run('SPA-002', input([...traceWith(1), lost]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([
      expect.objectContaining({ service: 'shop', traceId: TRACE_A, spanIds: [lost.spanId], count: 1 }),
    ]);
  });
  it('a parent in another trace does not count', () => {
    const other = span({ trace: TRACE_B });
    expect(run('SPA-002', input([other, span({ parent: other.spanId })])).status).toBe('fail');
  });
});

describe('SPA-003 span-name cardinality', () => {
  it('passes on route templates and plain names', () => {
    expect(
      run(
        'SPA-003',
        input([
          span({ name: 'GET /items/{id}' }),
          span({ name: 'GET /v1/users/:name' }),
          span({ name: 'SELECT shop.items' }),
          span({ name: 'price order' }),
        ]),
      ).status,
    ).toBe('pass');
  });
  it('fails on ids in a name, naming the value', () => {
    const named = span({ name: 'GET /items/42' });
    const verdict = run('SPA-003', input([named]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([expect.objectContaining({ service: 'shop', spanIds: [named.spanId], count: 1 })]);
    expect(verdict.evidence[0]?.note).toContain('(42)');
  });
  it.each([
    ['GET /orders/3f2b8c1e-1111-4a4a-9b9b-123456789abc', '3f2b8c1e-1111-4a4a-9b9b-123456789abc'],
    ['GET /search?q=shoes', '?q=shoes'],
    ['/blobs/deadbeefcafe0123456789', 'deadbeefcafe0123456789'],
  ])('reads "%s" as unbounded', (name, part) => {
    expect(unboundedPart(name)).toBe(part);
  });
});

describe('SPA-004 root span kind', () => {
  it('passes when roots are SERVER', () => {
    expect(run('SPA-004', input(traceWith(1))).status).toBe('pass');
  });
  it("treats a span under the probe's parent as the root", () => {
    const probeParent = id();
    const verdict = run(
      'SPA-004',
      input([span({ parent: probeParent, kind: 'client', name: 'GET' })], {
        remoteParents: new Set([remoteParentKey(TRACE_A, probeParent)]),
      }),
    );
    expect(verdict.status).toBe('fail');
  });
  it('fails on a CLIENT root, naming the trace and span', () => {
    const root = span({ kind: 'client', name: 'GET' });
    const verdict = run('SPA-004', input([root, span({ trace: TRACE_B })]));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([
      expect.objectContaining({ service: 'shop', traceId: TRACE_A, spanIds: [root.spanId], count: 1 }),
    ]);
  });
});

describe('SPA-005 short spans per trace', () => {
  it('passes at 20 spans under 5 ms', () => {
    expect(run('SPA-005', input(traceWith(20, { ms: 1 }))).status).toBe('pass');
  });
  it('passes with many spans of 5 ms or more', () => {
    expect(run('SPA-005', input(traceWith(30, { ms: 5 }))).status).toBe('pass');
  });
  it('fails at 21, with the count', () => {
    const verdict = run('SPA-005', input(traceWith(21, { ms: 4.9, kind: 'client' })));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]).toMatchObject({ traceId: TRACE_A, count: 21 });
  });
});

describe('LOG-002 severityNumber', () => {
  const logs = (records: ScoredLogRecord[]) => input([span()], { logs: { received: true, records } });
  it('is not evaluated when no log record can arrive, with the reason', () => {
    expect(run('LOG-002', input([span()]))).toMatchObject({
      status: 'not-evaluated',
      summary: 'the receiver takes traces only',
    });
  });
  it('passes when every record sets it', () => {
    expect(run('LOG-002', logs([{ serviceName: 'shop', severityNumber: 9 }])).status).toBe('pass');
  });
  it('fails on a record with severityNumber unspecified', () => {
    const verdict = run(
      'LOG-002',
      logs([
        { serviceName: 'shop', severityNumber: 9 },
        { serviceName: 'shop', severityNumber: 0 },
      ]),
    );
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence).toEqual([expect.objectContaining({ service: 'shop', count: 1 })]);
  });
});

describe('SDK-001 runtime within the SDK range', () => {
  const facts = (runtimeVersion: string): SdkRuntimeFacts => ({
    service: 'shop',
    language: 'nodejs',
    supportedRange: '^18.19.0 || >=20.6.0',
    rangeSource: '@opentelemetry/core engines',
    runtimeVersion,
    runtimeSource: 'process.runtime.version',
  });
  it('passes inside the range', () => {
    expect(run('SDK-001', input([span()], { sdk: [facts('20.11.1')] })).status).toBe('pass');
  });
  it('fails outside it, naming both', () => {
    const verdict = run('SDK-001', input([span()], { sdk: [facts('16.20.0')] }));
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]?.note).toContain('16.20.0');
    expect(verdict.evidence[0]?.note).toContain('^18.19.0 || >=20.6.0');
  });
  it('is not evaluated when the range was not found', () => {
    expect(
      run('SDK-001', input([span()], { sdk: [{ service: 'shop', language: 'go', runtimeVersion: 'go1.22.1' }] }))
        .status,
    ).toBe('not-evaluated');
  });
});

describe('evaluateScore', () => {
  it('scores a healthy trace 100 and lists the rules one run cannot evaluate', () => {
    const report = evaluateScore(
      input(traceWith(2).map((s) => ({ ...s, resource: { ...s.resource, 'deployment.environment.name': 'dev' } }))),
    );
    expect(report.rules.filter((r) => r.status === 'fail')).toEqual([]);
    expect(report.score).toBe(100);
    expect(report.notEvaluatedLocally.map((r) => r.id)).toContain('MET-003');
    expect(report.rules.find((r) => r.id === 'LOG-002')?.status).toBe('not-evaluated');
  });
  it('a rule that throws is not evaluated, with the reason', () => {
    const report = evaluateScore(input([span()]), [
      {
        id: 'X-1',
        title: 't',
        impact: 'Critical',
        target: 'Span',
        reads: 'r',
        evaluate: () => {
          throw new Error('boom');
        },
      },
    ]);
    expect(report.rules[0]).toMatchObject({ status: 'not-evaluated', summary: 'the rule could not run: boom' });
    expect(report.score).toBeNull();
  });
});

describe('SDK-001 on Python specifiers', () => {
  const py = (supportedRange: string, runtimeVersion: string): SdkRuntimeFacts => ({
    service: 'api',
    language: 'python',
    supportedRange,
    rangeSource: 'Requires-Python',
    runtimeVersion,
    runtimeSource: 'pyvenv.cfg',
  });
  it('reads comma-separated specifiers', () => {
    expect(run('SDK-001', input([span()], { sdk: [py('>=3.9, <4', '3.11.2')] })).status).toBe('pass');
    expect(run('SDK-001', input([span()], { sdk: [py('>=3.9, <4', '3.8.10')] })).status).toBe('fail');
  });
  it('does not count a range it cannot read', () => {
    expect(run('SDK-001', input([span()], { sdk: [py('~=3.9.*', '3.11.2')] })).status).toBe('not-evaluated');
  });
});
