/**
 * context-propagates-over-queues must not pass when a consumer starts a trace of its own (the producer did not inject,
 * or the consumer did not extract), and must not pass when no message was seen at all.
 */
import { describe, expect, it } from 'vitest';
import { contextPropagatesOverQueues } from '../../src/verify/checks/runtime/context-propagates-over-queues.js';
import { fakeContext, fakeRun, PROBE_PARENT, span } from './fake-run.js';

describe('context-propagates-over-queues', () => {
  const producer = () =>
    span({
      name: 'orders publish',
      kind: 'producer',
      parentSpanId: PROBE_PARENT,
      scope: { name: '@opentelemetry/instrumentation-amqplib' },
    });

  it('a CONSUMER span in a new trace, not linked to the producer: fails with the span', async () => {
    const consumer = span({
      name: 'orders process',
      kind: 'consumer',
      traceId: '1111111111111111111111111111111a',
      scope: { name: '@opentelemetry/instrumentation-amqplib' },
    });
    delete (consumer as { parentSpanId?: string }).parentSpanId;
    const r = await contextPropagatesOverQueues.run(fakeContext(fakeRun([producer(), consumer])));
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r.evidence)).toContain(consumer.spanId);
  });

  it('a producer and no consumer: not a pass', async () => {
    const r = await contextPropagatesOverQueues.run(fakeContext(fakeRun([producer()])));
    expect(r.status).not.toBe('pass');
  });

  it('a consumer in the producer trace passes (the check can pass at all)', async () => {
    const p = producer();
    const consumer = span({ name: 'orders process', kind: 'consumer', parentSpanId: p.spanId });
    const r = await contextPropagatesOverQueues.run(fakeContext(fakeRun([p, consumer])));
    expect(r.status, r.summary).toBe('pass');
  });
});
