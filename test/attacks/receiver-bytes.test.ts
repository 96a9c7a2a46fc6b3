/**
 * Attack (issue 15 item 15, receiver memory): the span cap counted spans, not bytes — 200 spans with 4 MB attributes
 * took 940 MB. Spans with huge attributes posted to the real receiver over OTLP/HTTP are cut on arrival (with a marker)
 * and the store's retained-byte estimate stays under its bound; many spans of ordinary size past the byte bound make
 * the oldest go, and every drop and cut is counted and said (the store's report, `describe()`, `receive`'s summary).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { receiveSummary } from '../../src/cli/commands/receive.js';
import { startReceiver, type RunningReceiver } from '../../src/verify/receiver/receiver.js';
import { TRUNCATION_MARKER } from '../../src/verify/receiver/span-limits.js';
import { SpanStore } from '../../src/verify/receiver/span-store.js';
import { encodeExportRequest, exportRequestObject, makeSpan, wireSpan } from '../receiver/helpers.js';

let receiver: RunningReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

let spanCounter = 0;
function spanWith(attributes: Record<string, string>): Record<string, unknown> {
  spanCounter++;
  return wireSpan({
    spanId: Buffer.from(spanCounter.toString(16).padStart(16, '0'), 'hex'),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
  });
}

async function post(r: RunningReceiver, spans: Record<string, unknown>[]): Promise<number> {
  const response = await fetch(`${r.httpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: encodeExportRequest(exportRequestObject('big', spans)),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('spans with huge attributes', { timeout: 60_000 }, () => {
  it('are cut on arrival with a marker, and the retained estimate stays under the bound', async () => {
    const maxBytes = 8 * 1024 * 1024;
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, maxBytes });
    const huge = 'x'.repeat(4 * 1024 * 1024);
    // 40 spans of 4 MB each (160 MB of attribute text), 3 per request to stay under the 16 MiB body limit.
    for (let sent = 0; sent < 40; sent += 3) {
      const batch = Array.from({ length: Math.min(3, 40 - sent) }, () =>
        spanWith({ 'db.query.text': huge, 'http.route': '/orders' }),
      );
      expect(await post(receiver, batch)).toBe(200);
    }
    const store = receiver.store;
    expect(store.receivedCount).toBe(40);
    expect(store.spanCount).toBe(40);
    const report = store.limitsReport();
    expect(report.retainedBytes).toBeLessThan(maxBytes);
    // Far less than the 40 × 4 M characters that arrived.
    expect(report.retainedBytes).toBeLessThan(40 * 64 * 1024);
    expect(report.truncatedValues).toBe(40);
    const kept = store.spans()[0]!.attributes['db.query.text'] as string;
    expect(kept.length).toBeLessThan(17_000);
    expect(kept).toContain(`${TRUNCATION_MARKER}${huge.length} characters]`);
    expect(store.spans()[0]!.attributes['http.route']).toBe('/orders');
    expect(store.describe()).toContain('40 oversized value(s) were cut on arrival.');
    expect(receiveSummary(store)).toMatch(
      /^received 40 span\(s\) in 1 trace\(s\); kept 40 \(≈ [\d.]+ (KiB|MiB) of 8 MiB\); 40 oversized value\(s\) cut$/,
    );
  });

  it('past the byte bound the oldest spans are dropped, counted apart from the span cap, and said', async () => {
    const maxBytes = 2 * 1024 * 1024;
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, maxBytes });
    const value = 'y'.repeat(10_000); // under the cut: only the byte bound can hold these back
    for (let sent = 0; sent < 400; sent += 50) {
      expect(
        await post(
          receiver,
          Array.from({ length: 50 }, () => spanWith({ 'app.note': value })),
        ),
      ).toBe(200);
    }
    const store = receiver.store;
    const report = store.limitsReport();
    expect(store.receivedCount).toBe(400);
    expect(report.retainedBytes).toBeLessThanOrEqual(maxBytes);
    expect(report.droppedAtByteCap).toBeGreaterThan(0);
    expect(report.droppedAtSpanCap).toBe(0);
    expect(store.spanCount + report.droppedAtByteCap).toBe(400);
    expect(report.truncatedValues).toBe(0);
    expect(store.describe()).toContain(`${report.droppedAtByteCap} oldest dropped at the cap of 2 MiB`);
    expect(receiveSummary(store)).toContain(`; ${report.droppedAtByteCap} oldest dropped at the cap of 2 MiB`);
  });
});

describe('the bounds inside one span', () => {
  it('long lists, many attributes, many events and a huge service name are cut too', () => {
    const store = new SpanStore({ spanLimits: { maxItems: 10, maxValueChars: 100 } });
    const bigName = 'svc'.repeat(100);
    store.add([
      makeSpan({
        name: 'n'.repeat(500),
        attributes: {
          list: Array.from({ length: 50 }, (_, i) => i),
          ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])),
        },
        events: Array.from({ length: 20 }, () => ({ name: 'e', timeUnixNano: 1n, attributes: {} })),
        resource: { 'service.name': bigName },
        serviceName: bigName,
      }),
    ]);
    const span = store.spans()[0]!;
    expect(span.name).toContain(`${TRUNCATION_MARKER}500 characters]`);
    expect((span.attributes.list as unknown[]).length).toBe(11);
    expect(Object.keys(span.attributes)).toHaveLength(11);
    expect(span.events).toHaveLength(10);
    expect(span.serviceName).toBe(span.resource['service.name']);
    expect(span.serviceName.length).toBeLessThan(200);
    expect(store.truncatedValueCount).toBe(5);
  });
});
