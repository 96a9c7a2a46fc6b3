/** Search within a trace and jumps between spans of the waterfall. Pure. */
import type { AttributeValue, ReceivedSpan } from '../../verify/receiver/span.js';
import type { WaterfallRow } from './layout.js';

function valueText(value: AttributeValue): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The span's name, service or one of its attribute values contains the query (case-insensitive). */
export function spanMatches(span: ReceivedSpan, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return false;
  if (span.name.toLowerCase().includes(q) || span.serviceName.toLowerCase().includes(q)) return true;
  return Object.values(span.attributes).some((value) => valueText(value).toLowerCase().includes(q));
}

export const isErrorSpan = (span: ReceivedSpan): boolean => span.status.code === 'error';

/**
 * The index of the next span row after `from` (before it with `direction` -1), wrapping around, that satisfies `test`;
 * undefined when none does.
 */
export function nextRow(
  rows: readonly WaterfallRow[],
  from: number,
  test: (span: ReceivedSpan) => boolean,
  direction: 1 | -1 = 1,
): number | undefined {
  const n = rows.length;
  for (let step = 1; step <= n; step++) {
    const i = (((from + direction * step) % n) + n) % n;
    const row = rows[i]!;
    if (row.kind === 'span' && test(row.span)) return i;
  }
  return undefined;
}

/** Moves the selection by `delta` rows (clamped), landing on a span row: gap rows are skipped in the direction of travel. */
export function moveSelection(rows: readonly WaterfallRow[], from: number, delta: number): number {
  if (rows.length === 0) return 0;
  let i = Math.max(0, Math.min(rows.length - 1, from + delta));
  const dir = delta < 0 ? -1 : 1;
  while (rows[i]?.kind === 'gap') {
    const next = i + dir;
    if (next < 0 || next >= rows.length) return rows[from]?.kind === 'span' ? from : Math.min(rows.length - 1, i + 1);
    i = next;
  }
  return i;
}

/** Log lines that carry the trace id (as the hex id, in any case). */
export function logsOfTrace(
  logs: readonly { service: string; text: string }[],
  traceId: string,
): { service: string; text: string }[] {
  if (traceId === '') return [];
  const id = traceId.toLowerCase();
  return logs.filter((line) => line.text.toLowerCase().includes(id));
}
