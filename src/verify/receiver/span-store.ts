/**
 * Where received spans live: bounded in memory — in spans (`maxSpans`) and in estimated bytes (`maxBytes`): past either,
 * the oldest spans are dropped and counted; oversized values are cut on arrival (see span-limits.ts) — indexed by trace, with the services seen, listeners for new spans, an event-driven `waitFor`, and a record of what arrived that
 * was not usable (wrong protocol or path, refused requests, rejected spans) for diagnosis.
 */
import type { Attributes, ReceivedSpan, ReceivedVia } from './span.js';
import { compactHeldWireBytes, heldWireBytes } from './otlp-protobuf-decoder.js';
import {
  boundSpan,
  keepOrBoundAttributes,
  wireBytesNeedNoBounding,
  DEFAULT_SPAN_LIMITS,
  HELD_SPAN_OVERHEAD,
  type Bounding,
  type SpanLimits,
} from './span-limits.js';
import type { WrongProtocolArrival } from './wrong-protocol.js';

export interface SpanStoreOptions {
  /** Spans kept in memory; past it, the oldest are dropped. Default 100,000. */
  maxSpans?: number;
  /**
   * Estimated bytes the kept spans may hold; past it, the oldest are dropped. Default 32 MiB: about 54,000 spans of 5–8
   * attributes each, kept as their protobuf bytes (see HELD_SPAN_OVERHEAD); the receiver's peak RSS under a flood grows
   * by about 1.5 MB per MiB of cap (bench/receiver.mjs), so the cap is what a check run needs with room to spare.
   */
  maxBytes?: number;
  /** Longest string and longest list / map kept in a span (longer ones are cut, with a marker). */
  spanLimits?: Partial<SpanLimits>;
  /** Wrong-protocol arrivals and refused requests kept (the newest); counts are kept for all. Default 100. */
  maxRecordedProblems?: number;
}

export interface TraceGroup {
  traceId: string;
  /** In arrival order. */
  spans: ReceivedSpan[];
  services: string[];
}

/** A request refused as a whole (not decodable, too large, unsupported type). */
export interface RefusedRequest {
  via: ReceivedVia | 'http';
  /** The HTTP status or gRPC status name it was answered with. */
  answeredWith: string;
  reason: string;
  at: number;
}

export type SpansListener = (spans: readonly ReceivedSpan[]) => void;
export type WrongProtocolListener = (arrival: WrongProtocolArrival) => void;

interface Waiter {
  predicate: (store: SpanStore) => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class WaitForTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitForTimeoutError';
  }
}

export const DEFAULT_MAX_SPANS = 100_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** What the store had to give up to stay within its bounds. */
export interface StoreLimitsReport {
  maxSpans: number;
  maxBytes: number;
  /** Estimated bytes of the spans kept now. */
  retainedBytes: number;
  /** Oldest spans dropped because the span cap was reached. */
  droppedAtSpanCap: number;
  /** Oldest spans dropped because the byte cap was reached. */
  droppedAtByteCap: number;
  /** Values cut on arrival (long strings, long lists or maps, too many events or links). */
  truncatedValues: number;
}

export class SpanStore {
  readonly maxSpans: number;
  readonly maxBytes: number;
  private readonly spanLimits: SpanLimits;
  private readonly maxRecordedProblems: number;
  /** Ring buffer of spans, oldest at `head`. */
  private readonly ring: (ReceivedSpan | undefined)[];
  /** Estimated bytes of the span in the same ring slot. */
  private readonly ringBytes: Float64Array;
  private retained = 0;
  private droppedForBytes = 0;
  private truncatedTotal = 0;
  private head = 0;
  private length = 0;
  /** Kept spans by trace id, except the newest `unindexed` ones; read it through `indexed`. */
  private readonly byTrace = new Map<string, ReceivedSpan[]>();
  private unindexed = 0;
  private readonly servicesSeen = new Set<string>();
  private receivedTotal = 0;
  private droppedTotal = 0;
  private rejectedTotal = 0;
  private readonly rejectionReasonsSeen: string[] = [];
  private readonly wrongProtocol: WrongProtocolArrival[] = [];
  private wrongProtocolTotal = 0;
  private readonly refused: RefusedRequest[] = [];
  private refusedTotal = 0;
  private readonly spansListeners = new Set<SpansListener>();
  private readonly wrongProtocolListeners = new Set<WrongProtocolListener>();
  private readonly waiters = new Set<Waiter>();

  constructor(options: SpanStoreOptions = {}) {
    const maxSpans = options.maxSpans ?? DEFAULT_MAX_SPANS;
    if (!Number.isInteger(maxSpans) || maxSpans < 1) {
      throw new RangeError(`maxSpans must be a positive integer, got ${maxSpans}`);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
    this.maxSpans = maxSpans;
    this.maxBytes = maxBytes;
    this.spanLimits = { ...DEFAULT_SPAN_LIMITS, ...options.spanLimits };
    this.maxRecordedProblems = options.maxRecordedProblems ?? 100;
    this.ring = new Array<ReceivedSpan | undefined>(maxSpans);
    this.ringBytes = new Float64Array(maxSpans);
  }

  /**
   * Cuts oversized values and estimates each span's bytes. The spans of one request share their resource object: it is
   * bounded once, and its bytes are shared out among the spans that carry it.
   */
  private bound(spans: readonly ReceivedSpan[]): { spans: ReceivedSpan[]; bytes: number[] } {
    const sharing = new Map<Attributes, number>();
    for (const span of spans) sharing.set(span.resource, (sharing.get(span.resource) ?? 0) + 1);
    const resources = new Map<Attributes, { resource: Attributes; share: number }>();
    for (const [resource, count] of sharing) {
      const acc: Bounding = { bytes: 0, truncated: 0 };
      const bounded = keepOrBoundAttributes(resource, this.spanLimits, acc);
      this.truncatedTotal += acc.truncated;
      resources.set(resource, { resource: bounded, share: acc.bytes / count });
    }
    const kept: ReceivedSpan[] = new Array(spans.length);
    const bytes: number[] = new Array(spans.length);
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as ReceivedSpan;
      const resource = resources.get(span.resource) as { resource: Attributes; share: number };
      // A span still held as its protobuf bytes, too small to hold anything to cut, is kept as it is, undecoded.
      const wire = heldWireBytes(span);
      if (
        wire > 0 &&
        resource.resource === span.resource &&
        wireBytesNeedNoBounding(wire, this.spanLimits) &&
        span.scope.name.length <= this.spanLimits.maxValueChars &&
        span.serviceName.length <= this.spanLimits.maxValueChars
      ) {
        kept[i] = span;
        bytes[i] = HELD_SPAN_OVERHEAD + wire + resource.share;
        continue;
      }
      const { span: boundedSpan, bounding } = boundSpan(span, this.spanLimits, resource.resource, resource.share);
      this.truncatedTotal += bounding.truncated;
      kept[i] = boundedSpan;
      bytes[i] = bounding.bytes;
    }
    return { spans: kept, bytes };
  }

  /**
   * Adds a batch of spans (one export request), dropping the oldest spans past the cap. The per-trace index is brought
   * up to date when it is next read (see `indexed`), so spans that are dropped before anyone looks cost no index work.
   */
  add(incoming: readonly ReceivedSpan[]): void {
    if (incoming.length === 0) return;
    const { spans, bytes } = this.bound(incoming);
    // Kept spans let go of their request body: what they still need of it moves into one buffer of its exact size.
    compactHeldWireBytes(spans);
    const ring = this.ring;
    const maxSpans = this.maxSpans;
    let lastService: string | undefined;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as ReceivedSpan;
      if (this.length === maxSpans) this.dropOldest();
      let slot = this.head + this.length;
      if (slot >= maxSpans) slot -= maxSpans;
      ring[slot] = span;
      this.ringBytes[slot] = bytes[i] as number;
      this.retained += bytes[i] as number;
      this.length++;
      this.unindexed++;
      if (span.serviceName !== lastService) {
        lastService = span.serviceName;
        this.servicesSeen.add(lastService);
      }
    }
    // The byte cap: drop the oldest until the estimate fits again (the newest span is always kept).
    while (this.retained > this.maxBytes && this.length > 1) {
      this.dropOldest();
      this.droppedForBytes++;
    }
    this.receivedTotal += spans.length;
    for (const listener of this.spansListeners) this.callListener(() => listener(spans));
    this.settleWaiters();
  }

  private dropOldest(): void {
    const oldest = this.ring[this.head];
    const wasIndexed = this.length > this.unindexed;
    this.ring[this.head] = undefined;
    this.retained -= this.ringBytes[this.head] as number;
    this.ringBytes[this.head] = 0;
    this.head = this.head + 1 === this.maxSpans ? 0 : this.head + 1;
    this.length--;
    this.droppedTotal++;
    if (!wasIndexed) {
      this.unindexed--;
      return;
    }
    if (oldest === undefined) return;
    const traceSpans = this.byTrace.get(oldest.traceId);
    if (traceSpans === undefined) return;
    // Spans of a trace are kept in arrival order, so the oldest of the store is the first of its trace.
    if (traceSpans[0] === oldest) traceSpans.shift();
    else traceSpans.splice(traceSpans.indexOf(oldest), 1);
    if (traceSpans.length === 0) this.byTrace.delete(oldest.traceId);
  }

  /** The per-trace index with every kept span in it: the newest `unindexed` spans are added first, in arrival order. */
  private get indexed(): Map<string, ReceivedSpan[]> {
    if (this.unindexed === 0) return this.byTrace;
    // Spans of one trace usually come together: the last trace's list is remembered.
    let lastTraceId: string | undefined;
    let lastTraceSpans: ReceivedSpan[] | undefined;
    for (let i = this.length - this.unindexed; i < this.length; i++) {
      let slot = this.head + i;
      if (slot >= this.maxSpans) slot -= this.maxSpans;
      const span = this.ring[slot] as ReceivedSpan;
      if (span.traceId !== lastTraceId || lastTraceSpans === undefined) {
        lastTraceId = span.traceId;
        lastTraceSpans = this.byTrace.get(lastTraceId);
        if (lastTraceSpans === undefined) {
          lastTraceSpans = [];
          this.byTrace.set(lastTraceId, lastTraceSpans);
        }
      }
      lastTraceSpans.push(span);
    }
    this.unindexed = 0;
    return this.byTrace;
  }

  /** Spans currently kept. */
  get spanCount(): number {
    return this.length;
  }

  /** Spans ever accepted, including those dropped since. */
  get receivedCount(): number {
    return this.receivedTotal;
  }

  /** Spans dropped because the store was full (at the span cap or the byte cap). */
  get droppedCount(): number {
    return this.droppedTotal;
  }

  /** Estimated bytes of the spans kept now. */
  get retainedBytes(): number {
    return this.retained;
  }

  /** Values cut on arrival: long strings, long lists or maps, too many events or links. */
  get truncatedValueCount(): number {
    return this.truncatedTotal;
  }

  /** What the bounds cost so far, for `receive` and diagnosis. */
  limitsReport(): StoreLimitsReport {
    return {
      maxSpans: this.maxSpans,
      maxBytes: this.maxBytes,
      retainedBytes: this.retained,
      droppedAtSpanCap: this.droppedTotal - this.droppedForBytes,
      droppedAtByteCap: this.droppedForBytes,
      truncatedValues: this.truncatedTotal,
    };
  }

  /** Spans the decoders rejected (invalid ids and the like), answered as partial success. */
  get rejectedCount(): number {
    return this.rejectedTotal;
  }

  get rejectionReasons(): readonly string[] {
    return this.rejectionReasonsSeen;
  }

  /** All kept spans, oldest first. */
  spans(): ReceivedSpan[] {
    const result: ReceivedSpan[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) result[i] = this.ring[(this.head + i) % this.maxSpans] as ReceivedSpan;
    return result;
  }

  /** The kept spans of one trace, in arrival order; [] when none. The id is matched case-insensitively. */
  spansOfTrace(traceId: string): ReceivedSpan[] {
    return [...(this.indexed.get(traceId.toLowerCase()) ?? [])];
  }

  hasTrace(traceId: string): boolean {
    return this.indexed.has(traceId.toLowerCase());
  }

  traceIds(): string[] {
    return [...this.indexed.keys()];
  }

  trace(traceId: string): TraceGroup | undefined {
    const spans = this.indexed.get(traceId.toLowerCase());
    return spans === undefined ? undefined : groupOf(traceId.toLowerCase(), spans);
  }

  /** Every kept trace with its spans, in order of first arrival. */
  traces(): TraceGroup[] {
    return [...this.indexed].map(([traceId, spans]) => groupOf(traceId, spans));
  }

  /** Service names seen since the store was created (or cleared), including those whose spans were dropped since. */
  services(): string[] {
    return [...this.servicesSeen].sort();
  }

  /** Notes spans a decoder rejected from an otherwise accepted request. */
  recordRejectedSpans(count: number, reasons: readonly string[]): void {
    if (count <= 0) return;
    this.rejectedTotal += count;
    for (const reason of reasons) {
      if (this.rejectionReasonsSeen.length < this.maxRecordedProblems && !this.rejectionReasonsSeen.includes(reason)) {
        this.rejectionReasonsSeen.push(reason);
      }
    }
    this.settleWaiters();
  }

  recordWrongProtocol(arrival: WrongProtocolArrival): void {
    this.wrongProtocolTotal++;
    pushBounded(this.wrongProtocol, arrival, this.maxRecordedProblems);
    for (const listener of this.wrongProtocolListeners) this.callListener(() => listener(arrival));
    this.settleWaiters();
  }

  /** The newest wrong-protocol arrivals, oldest first. */
  wrongProtocolArrivals(): WrongProtocolArrival[] {
    return [...this.wrongProtocol];
  }

  get wrongProtocolCount(): number {
    return this.wrongProtocolTotal;
  }

  recordRefusedRequest(request: Omit<RefusedRequest, 'at'>): void {
    this.refusedTotal++;
    pushBounded(this.refused, { ...request, at: Date.now() }, this.maxRecordedProblems);
    this.settleWaiters();
  }

  /** The newest refused requests, oldest first. */
  refusedRequests(): RefusedRequest[] {
    return [...this.refused];
  }

  get refusedCount(): number {
    return this.refusedTotal;
  }

  /** Calls `listener` with each accepted batch. Returns the function that unsubscribes it. */
  onSpans(listener: SpansListener): () => void {
    this.spansListeners.add(listener);
    return () => this.spansListeners.delete(listener);
  }

  onWrongProtocol(listener: WrongProtocolListener): () => void {
    this.wrongProtocolListeners.add(listener);
    return () => this.wrongProtocolListeners.delete(listener);
  }

  /**
   * Resolves as soon as `predicate(store)` is true: now, or after a later change to the store (spans, rejected spans,
   * wrong-protocol arrivals, refused requests). Rejects after `timeoutMs` with a message that says what did arrive, or
   * when the predicate throws.
   */
  waitFor(
    predicate: (store: SpanStore) => boolean,
    timeoutMs: number,
    description = 'the expected spans',
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        if (predicate(this)) {
          resolve();
          return;
        }
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new WaitForTimeoutError(`Timed out after ${timeoutMs} ms waiting for ${description}. ${this.describe()}`),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** One paragraph on what the store has seen, for timeouts and diagnosis. */
  describe(): string {
    const parts: string[] = [];
    if (this.receivedTotal === 0) {
      parts.push('No spans have arrived.');
    } else {
      const services = this.services().join(', ');
      parts.push(
        `${this.receivedTotal} span(s) arrived in ${this.indexed.size} kept trace(s) from ${services}` +
          (this.droppedTotal > 0 ? ` (${describeDrops(this.limitsReport())})` : '') +
          '.',
      );
    }
    if (this.truncatedTotal > 0) parts.push(`${this.truncatedTotal} oversized value(s) were cut on arrival.`);
    if (this.rejectedTotal > 0) {
      parts.push(`${this.rejectedTotal} span(s) were rejected: ${this.rejectionReasonsSeen.slice(0, 3).join('; ')}.`);
    }
    if (this.refusedTotal > 0) {
      const last = this.refused[this.refused.length - 1];
      parts.push(`${this.refusedTotal} request(s) were refused; the last: ${last?.reason ?? ''}.`);
    }
    if (this.wrongProtocolTotal > 0) {
      const last = this.wrongProtocol[this.wrongProtocol.length - 1];
      parts.push(
        `${this.wrongProtocolTotal} arrival(s) used the wrong protocol or path; the last: ${last?.summary ?? ''} ${last?.hint ?? ''}`,
      );
    }
    return parts.join(' ');
  }

  /** Forgets all spans, counts and records (listeners and waiters stay). */
  clear(): void {
    this.ring.fill(undefined);
    this.ringBytes.fill(0);
    this.retained = 0;
    this.droppedForBytes = 0;
    this.truncatedTotal = 0;
    this.head = 0;
    this.length = 0;
    this.byTrace.clear();
    this.unindexed = 0;
    this.servicesSeen.clear();
    this.receivedTotal = 0;
    this.droppedTotal = 0;
    this.rejectedTotal = 0;
    this.rejectionReasonsSeen.length = 0;
    this.wrongProtocol.length = 0;
    this.wrongProtocolTotal = 0;
    this.refused.length = 0;
    this.refusedTotal = 0;
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      let done: boolean;
      try {
        done = waiter.predicate(this);
      } catch (error) {
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (done) {
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    }
  }

  /** A listener that throws must not break the receiver or the other listeners. */
  private callListener(call: () => void): void {
    try {
      call();
    } catch (error) {
      process.emitWarning(`a span store listener threw: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}

/** "12 oldest dropped at the cap of 100000 spans, 3 at the cap of 32 MiB" (only the parts that happened). */
export function describeDrops(report: StoreLimitsReport): string {
  const parts: string[] = [];
  if (report.droppedAtSpanCap > 0)
    parts.push(`${report.droppedAtSpanCap} oldest dropped at the cap of ${report.maxSpans} spans`);
  if (report.droppedAtByteCap > 0)
    parts.push(`${report.droppedAtByteCap} oldest dropped at the cap of ${formatBytes(report.maxBytes)}`);
  return parts.join(', ');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

function groupOf(traceId: string, spans: readonly ReceivedSpan[]): TraceGroup {
  return { traceId, spans: [...spans], services: [...new Set(spans.map((span) => span.serviceName))].sort() };
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
