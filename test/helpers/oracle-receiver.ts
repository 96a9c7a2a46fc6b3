/**
 * The oracle: a small OTLP/HTTP trace receiver for the end-to-end tests, written from scratch and sharing no code with
 * src/ (not the product's receiver, decoder or checks). JSON and protobuf, gzip optional; 127.0.0.1, free port.
 * The implementation is plain JavaScript (oracle-receiver.mjs) so bench/corpus.mjs runs it under node as well.
 */
export { SPAN_KIND_SERVER, startOracle } from './oracle-receiver.mjs';
export type { Oracle, OracleSpan } from './oracle-receiver.mjs';
