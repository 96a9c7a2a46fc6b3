/**
 * The bodies the receiver answers with: ExportTraceServiceResponse on success (with partial_success when spans were
 * rejected) and google.rpc.Status on failure, each in the encoding of the request (protobuf or JSON).
 */
import type { DecodedExport } from './otlp-decode-result.js';
import { ExportTraceServiceResponseType, RpcStatusType } from './otlp-schema.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** The google.rpc.Code values the receiver uses. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;
export type RpcCodeValue = (typeof RpcCode)[keyof typeof RpcCode];

const EMPTY = Buffer.alloc(0);
const EMPTY_JSON = Buffer.from('{}');

export function partialSuccessMessage(decoded: DecodedExport): string {
  return `${decoded.rejectedSpans} span(s) rejected: ${decoded.rejectionReasons.join('; ')}`;
}

/** ExportTraceServiceResponse; `partialSuccess` is set only when spans were rejected (an empty one means success). */
export function encodeExportResponse(encoding: OtlpEncoding, decoded: DecodedExport): Buffer {
  if (decoded.rejectedSpans === 0) return encoding === 'json' ? EMPTY_JSON : EMPTY;
  const partialSuccess = { rejectedSpans: decoded.rejectedSpans, errorMessage: partialSuccessMessage(decoded) };
  if (encoding === 'json') {
    // int64 is a string in the protobuf JSON mapping.
    return Buffer.from(
      JSON.stringify({ partialSuccess: { ...partialSuccess, rejectedSpans: String(partialSuccess.rejectedSpans) } }),
    );
  }
  const message = ExportTraceServiceResponseType.fromObject({ partialSuccess });
  return Buffer.from(ExportTraceServiceResponseType.encode(message).finish());
}

/** google.rpc.Status {code, message}. */
export function encodeRpcStatus(encoding: OtlpEncoding, code: RpcCodeValue, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(RpcStatusType.encode(RpcStatusType.fromObject({ code, message })).finish());
}
