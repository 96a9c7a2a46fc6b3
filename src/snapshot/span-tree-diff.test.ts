/**
 * `diff A B` on hand-built snapshots: one test per kind of change (added, removed, renamed, parentage, attributes, whole
 * traces), the same facts in text and JSON, and the traces matched by root span rather than by trace id.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSavedRun } from '../score/from-file.js';
import type { Attributes, ReceivedSpan, SpanKindName } from '../verify/receiver/span.js';
import { diffJson, diffText, summarize } from './diff-report.js';
import { otlpJsonLines } from './otlp-json-encoder.js';
import { diffSnapshots } from './span-tree-diff.js';

interface Shape {
  name: string;
  service?: string;
  kind?: SpanKindName;
  attributes?: Attributes;
  children?: Shape[];
}

let nextId = 1;
/** A trace from a nested shape; children start in the order given. */
function trace(root: Shape, traceNumber = nextId++): ReceivedSpan[] {
  const traceId = traceNumber.toString(16).padStart(32, '0');
  const out: ReceivedSpan[] = [];
  let clock = 1_700_000_000_000_000_000n + BigInt(traceNumber) * 1_000_000_000n;
  const add = (shape: Shape, parentSpanId?: string): void => {
    const spanId = (out.length + 1).toString(16).padStart(16, '0');
    const service = shape.service ?? 'orders';
    clock += 1000n;
    out.push({
      traceId,
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      name: shape.name,
      kind: shape.kind ?? (parentSpanId ? 'internal' : 'server'),
      startTimeUnixNano: clock,
      endTimeUnixNano: clock + 500n,
      durationMs: 0.0005,
      attributes: shape.attributes ?? {},
      droppedAttributesCount: 0,
      events: [],
      links: [],
      status: { code: 'unset' },
      resource: { 'service.name': service },
      serviceName: service,
      scope: { name: 'test' },
      receivedVia: 'http/json',
      receivedAt: 0,
    });
    for (const child of shape.children ?? []) add(child, spanId);
  };
  add(root);
  return out;
}

const ORDERS: Shape = {
  name: 'GET /orders/:id',
  attributes: { 'http.route': '/orders/:id', 'http.response.status_code': 200 },
  children: [
    { name: 'middleware - query', children: [{ name: 'parse' }] },
    { name: 'SELECT orders', kind: 'client', attributes: { 'db.system': 'postgresql' } },
    { name: 'GET', kind: 'client', service: 'orders' },
  ],
};

describe('diffSnapshots', () => {
  it('finds nothing between two runs of the same shape, whatever their trace and span ids', () => {
    const traces = diffSnapshots(trace(ORDERS), trace(ORDERS));
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ status: 'matched', tree: [] });
    expect(diffText({ file: 'a', traces: 1, spans: 5 }, { file: 'b', traces: 1, spans: 5 }, traces)).toMatch(
      /no differences: 1 trace\(s\)/,
    );
  });

  it('marks a span added and one removed (with its child), under the parent they hang from', () => {
    const after: Shape = {
      ...ORDERS,
      children: [ORDERS.children![1]!, ORDERS.children![2]!, { name: 'redis GET', kind: 'client' }],
    };
    const [t] = diffSnapshots(trace(ORDERS), trace(after));
    const json = diffJson({ file: 'a', traces: 1, spans: 5 }, { file: 'b', traces: 1, spans: 4 }, [t!]);
    expect((json.traces as { changes: unknown[] }[])[0]!.changes).toEqual([
      { change: 'added', service: 'orders', name: 'redis GET', path: ['orders: GET /orders/:id', 'orders: redis GET'] },
      {
        change: 'removed',
        service: 'orders',
        name: 'middleware - query',
        path: ['orders: GET /orders/:id', 'orders: middleware - query'],
      },
      {
        change: 'removed',
        service: 'orders',
        name: 'parse',
        path: ['orders: GET /orders/:id', 'orders: middleware - query', 'orders: parse'],
      },
    ]);
    const text = diffText({ file: 'a', traces: 1, spans: 5 }, { file: 'b', traces: 1, spans: 4 }, [t!]);
    expect(text).toContain('~ trace GET /orders/:id [orders] (5 → 4 span(s))');
    expect(text).toContain(
      '    GET /orders/:id [orders]\n+     redis GET [orders]\n-     middleware - query [orders]\n-       parse [orders]',
    );
    // The unchanged siblings are left out of the short tree.
    expect(text).not.toContain('SELECT orders');
  });

  it('calls a span of the same service and kind, at the same place, with another name renamed — and matches below it', () => {
    const after: Shape = {
      ...ORDERS,
      children: [
        { name: 'middleware - expressInit', children: [{ name: 'parse' }] },
        ORDERS.children![1]!,
        ORDERS.children![2]!,
      ],
    };
    const [t] = diffSnapshots(trace(ORDERS), trace(after));
    expect(summarize([t!])).toMatchObject({ renamed: 1, spansAdded: 0, spansRemoved: 0 });
    expect(t!.tree[0]!.children).toEqual([
      {
        mark: '~',
        service: 'orders',
        name: 'middleware - expressInit',
        renamedFrom: 'middleware - query',
        children: [],
      },
    ]);
  });

  it('calls a span that kept its service and name but hangs under another parent moved (parentage changed)', () => {
    const after: Shape = {
      ...ORDERS,
      children: [
        { name: 'middleware - query', children: [{ name: 'parse' }, ORDERS.children![1]!] },
        ORDERS.children![2]!,
      ],
    };
    const [t] = diffSnapshots(trace(ORDERS), trace(after));
    const s = summarize([t!]);
    expect(s).toMatchObject({ parentChanged: 1, spansAdded: 0, spansRemoved: 0, renamed: 0 });
    const text = diffText({ file: 'a', traces: 1, spans: 5 }, { file: 'b', traces: 1, spans: 5 }, [t!]);
    expect(text).toContain(
      '~       SELECT orders [orders]  parent: orders: GET /orders/:id → orders: middleware - query',
    );
  });

  it('does not call a span renamed when its name is still there elsewhere: it moved, under a parent renamed first', () => {
    // SELECT orders now hangs under the renamed middleware; a new client span takes its old place.
    const after: Shape = {
      ...ORDERS,
      children: [
        { name: 'middleware - expressInit', children: [{ name: 'parse' }, ORDERS.children![1]!] },
        { name: 'redis GET', kind: 'client' },
        ORDERS.children![2]!,
      ],
    };
    const [t] = diffSnapshots(trace(ORDERS), trace(after));
    expect(summarize([t!])).toMatchObject({ renamed: 1, parentChanged: 1, spansAdded: 1, spansRemoved: 0 });
    const text = diffText({ file: 'a', traces: 1, spans: 5 }, { file: 'b', traces: 1, spans: 6 }, [t!]);
    expect(text).toContain('~     middleware - expressInit [orders]  renamed from "middleware - query"');
    expect(text).toContain(
      '~       SELECT orders [orders]  parent: orders: GET /orders/:id → orders: middleware - expressInit',
    );
    expect(text).toContain('+     redis GET [orders]');
  });

  it('lists attributes added, removed and changed on a matched span', () => {
    const after: Shape = {
      ...ORDERS,
      attributes: { 'http.route': '/orders/:id', 'http.response.status_code': 500, 'url.scheme': 'http' },
    };
    const root = { ...ORDERS, attributes: { ...ORDERS.attributes, 'net.peer.port': 4000 } };
    const [t] = diffSnapshots(trace(root), trace(after));
    expect(t!.tree[0]).toMatchObject({
      mark: '~',
      attributes: {
        added: [{ key: 'url.scheme', value: 'http' }],
        removed: [{ key: 'net.peer.port', value: 4000 }],
        changed: [{ key: 'http.response.status_code', from: 200, to: 500 }],
      },
    });
    const text = diffText({ file: 'a', traces: 1, spans: 5 }, { file: 'b', traces: 1, spans: 5 }, [t!]);
    expect(text).toContain(
      '~   GET /orders/:id [orders]  attributes: +url.scheme, -net.peer.port, http.response.status_code 200 → 500',
    );
  });

  it('matches traces by root span and start order, and reports traces only before or only after', () => {
    const users: Shape = { name: 'GET /users', service: 'gateway' };
    const health: Shape = { name: 'GET /health', service: 'gateway' };
    const before = [...trace(ORDERS, 1), ...trace(health, 2)];
    const after = [...trace(users, 3), ...trace(ORDERS, 4)];
    const traces = diffSnapshots(before, after);
    expect(traces.map((t) => [t.root.name, t.status, t.tree.length > 0])).toEqual([
      ['GET /orders/:id', 'matched', false],
      ['GET /health', 'removed', true],
      ['GET /users', 'added', true],
    ]);
    const text = diffText({ file: 'a', traces: 2, spans: 6 }, { file: 'b', traces: 2, spans: 6 }, traces);
    expect(text).toContain('- trace GET /health [gateway]: only before (1 span(s))');
    expect(text).toContain('+ trace GET /users [gateway]: only after (1 span(s))');
    expect(text).toContain('traces: 0 changed, 1 only after, 1 only before, 1 unchanged');
  });

  it('tells a span of another kind at the same place apart from a rename (removed and added)', () => {
    const after: Shape = {
      ...ORDERS,
      children: [
        { name: 'redis GET', kind: 'client', children: [{ name: 'parse' }] },
        ORDERS.children![1]!,
        ORDERS.children![2]!,
      ],
    };
    const s = summarize(diffSnapshots(trace(ORDERS), trace(after)));
    expect(s).toMatchObject({ renamed: 0, spansAdded: 1, spansRemoved: 1, parentChanged: 1 });
  });
});

describe('diff input', () => {
  const temp: string[] = [];
  afterAll(async () => {
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  it('reads snapshots written by --save, and names file:line of a malformed line or a missing file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-diff-'));
    temp.push(dir);
    const good = path.join(dir, 'a.jsonl');
    await writeFile(good, otlpJsonLines(trace(ORDERS)));
    expect((await readSavedRun(good)).input.spans).toHaveLength(5);
    const bad = path.join(dir, 'b.jsonl');
    await writeFile(bad, `${otlpJsonLines(trace(ORDERS))}{"resourceSpans": [\n`);
    await expect(readSavedRun(bad)).rejects.toThrow(`${bad}:2 is not OTLP JSON`);
    await expect(readSavedRun(path.join(dir, 'missing.jsonl'))).rejects.toThrow(/cannot read .*missing\.jsonl: ENOENT/);
  });
});
