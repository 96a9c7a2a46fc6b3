/** Types of oracle-receiver.mjs: the independent OTLP/HTTP receiver of the end-to-end tests (no code shared with src/). */
export interface OracleSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  scope: string;
  service: string;
  statusCode: number;
  attributes: Record<string, unknown>;
}
export interface Oracle {
  url: string;
  spans: OracleSpan[];
  /** Requests it could not decode (a reason each). */
  rejected: string[];
  close(): Promise<void>;
}
export declare const SPAN_KIND_SERVER: 2;
export declare function startOracle(): Promise<Oracle>;
