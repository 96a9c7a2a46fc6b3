import type { ReceivedSpan } from './span.js';

/** What a decoder made of one export request: the accepted spans and the ones it had to reject, with why. */
export interface DecodedExport {
  spans: ReceivedSpan[];
  rejectedSpans: number;
  /** A few distinct reasons, for the partial-success message and for diagnosis. */
  rejectionReasons: string[];
}

/** The payload cannot be decoded at all (garbage, truncated, not OTLP). The whole request is refused. */
export class OtlpDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtlpDecodeError';
  }
}

const MAX_REASONS = 5;

/** Collects rejected spans while a request is decoded. */
export class RejectionTally {
  count = 0;
  readonly reasons: string[] = [];

  reject(reason: string): void {
    this.count++;
    if (this.reasons.length < MAX_REASONS && !this.reasons.includes(reason)) this.reasons.push(reason);
  }
}
