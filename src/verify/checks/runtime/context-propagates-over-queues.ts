/**
 * context-propagates-over-queues: when the probes make a service publish and another consume, the CONSUMER span is
 * in the PRODUCER's trace (or linked to it). The runtime run starts no broker, so without queue traffic this says why
 * it could not be seen rather than passing.
 */
import type { Check } from '../../check.js';
import { result, runFor, spanNote, windowSpans, withDownServices } from './probe-analysis.js';

const ITEM = 'context-propagates-over-queues';

export const contextPropagatesOverQueues: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const spans = windowSpans(run);
    const producers = spans.filter((s) => s.kind === 'producer');
    const consumers = spans.filter((s) => s.kind === 'consumer');
    if (producers.length === 0 || consumers.length === 0) {
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'skipped',
          `the probe requests produced ${producers.length} PRODUCER and ${consumers.length} CONSUMER span(s); trace-guide starts no message broker, so queue propagation could not be observed`,
          [],
          "Run the services with their broker, send a request that publishes a message, and look for the CONSUMER span in the producer's trace.",
        ),
      );
    }
    const producerTraces = new Set(producers.map((p) => p.traceId));
    const producerIds = new Set(producers.map((p) => p.spanId));
    const continued = consumers.filter(
      (c) => producerTraces.has(c.traceId) || c.links.some((l) => producerIds.has(l.spanId)),
    );
    const broken = consumers.filter((c) => !continued.includes(c));
    if (broken.length > 0) {
      return result(
        ITEM,
        'fail',
        `${broken.length} CONSUMER span(s) are neither in a producer's trace nor linked to it`,
        broken.map((c) => ({ note: spanNote(c) })),
        'Inject the context into the message headers when producing and extract it when consuming (the messaging instrumentations do both).',
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `${continued.length} CONSUMER span(s) continue their producer's trace`,
        continued.map((c) => ({ note: spanNote(c) })),
      ),
    );
  },
};
