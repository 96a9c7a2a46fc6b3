/**
 * `score --from FILE`: a saved run, nothing started. The file is OTLP JSON as the OpenTelemetry Collector's file
 * exporter writes it — one export request per line ({"resourceSpans": …}, {"resourceLogs": …}, {"resourceMetrics": …})
 * — or a single pretty-printed request. Spans are decoded by the receiver's own OTLP/JSON decoder; log records are read
 * for their severityNumber; metrics are counted and left alone.
 */
import { readFile } from 'node:fs/promises';
import { usageError } from '../core/errors.js';
import { decodeJsonExportRequest } from '../verify/receiver/otlp-json-decoder.js';
import type { ReceivedSpan } from '../verify/receiver/span.js';
import type { ScoredLogRecord, ScoreInput } from './types.js';

export const SDK_NOT_IN_FILE =
  'a saved file does not say which SDK release is installed or which runtime ran it (score the repository to read them)';

interface SavedRun {
  input: ScoreInput;
  /** Export requests read, per signal. */
  requests: { traces: number; logs: number; metrics: number };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringAttribute(resource: unknown, key: string): string | undefined {
  const attributes = isObject(resource) && Array.isArray(resource.attributes) ? resource.attributes : [];
  const found = attributes.find((a: unknown) => isObject(a) && a.key === key) as
    | { value?: { stringValue?: unknown } }
    | undefined;
  return typeof found?.value?.stringValue === 'string' ? found.value.stringValue : undefined;
}

/** OTLP SeverityNumber as a number (JSON may carry the enum name). */
function severityOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string')
    return value === 'SEVERITY_NUMBER_UNSPECIFIED' || value === '' ? 0 : /^\d+$/.test(value) ? Number(value) : 1;
  return undefined;
}

function logRecordsOf(request: Record<string, unknown>): ScoredLogRecord[] {
  const out: ScoredLogRecord[] = [];
  for (const rl of Array.isArray(request.resourceLogs) ? request.resourceLogs : []) {
    if (!isObject(rl)) continue;
    const serviceName = stringAttribute(rl.resource, 'service.name') || 'unknown_service';
    for (const sl of Array.isArray(rl.scopeLogs) ? rl.scopeLogs : []) {
      if (!isObject(sl)) continue;
      for (const record of Array.isArray(sl.logRecords) ? sl.logRecords : []) {
        if (!isObject(record)) continue;
        const severityNumber = severityOf(record.severityNumber);
        out.push({ serviceName, ...(severityNumber !== undefined ? { severityNumber } : {}) });
      }
    }
  }
  return out;
}

/** The export requests in the text: one per line, or the whole text as one. */
function requestsIn(text: string, file: string): { request: Record<string, unknown>; raw: string; line: number }[] {
  const whole = text.trim();
  if (whole === '')
    throw usageError(
      `${file} is empty: expected OTLP JSON (one export request per line, as the Collector's file exporter writes)`,
    );
  const lines = text.split('\n');
  const parsed: { request: Record<string, unknown>; raw: string; line: number }[] = [];
  let error: { line: number; message: string } | undefined;
  lines.forEach((raw, i) => {
    if (error || raw.trim() === '') return;
    try {
      const value: unknown = JSON.parse(raw);
      if (!isObject(value)) throw new Error('not a JSON object');
      parsed.push({ request: value, raw, line: i + 1 });
    } catch (e) {
      error = { line: i + 1, message: (e as Error).message };
    }
  });
  if (!error) return parsed;
  // Not JSON lines: maybe one pretty-printed request.
  try {
    const value: unknown = JSON.parse(whole);
    if (isObject(value)) return [{ request: value, raw: whole, line: 1 }];
  } catch {
    // fall through to the line's error
  }
  throw usageError(
    `${file}:${error.line} is not OTLP JSON (${error.message})`,
    'expected one export request per line, e.g. {"resourceSpans": [...]}',
  );
}

export async function readSavedRun(file: string): Promise<SavedRun> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const spans: ReceivedSpan[] = [];
  const records: ScoredLogRecord[] = [];
  const requests = { traces: 0, logs: 0, metrics: 0 };
  for (const { request, raw, line } of requestsIn(text, file)) {
    if ('resourceSpans' in request) {
      requests.traces++;
      try {
        spans.push(...decodeJsonExportRequest(Buffer.from(raw, 'utf8')).spans);
      } catch (error) {
        throw usageError(`${file}:${line}: ${(error as Error).message}`);
      }
    } else if ('resourceLogs' in request) {
      requests.logs++;
      records.push(...logRecordsOf(request));
    } else if ('resourceMetrics' in request) requests.metrics++;
    else
      throw usageError(
        `${file}:${line} is not an OTLP export request (no resourceSpans, resourceLogs or resourceMetrics)`,
      );
  }
  return {
    input: {
      spans,
      remoteParents: new Set(),
      logs:
        requests.logs > 0
          ? { received: true, records }
          : { received: false, reason: `${file} holds no log records (no resourceLogs line)` },
      sdk: [],
      sdkReason: SDK_NOT_IN_FILE,
    },
    requests,
  };
}
