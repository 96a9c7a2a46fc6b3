/**
 * The details of one span as lines: what it is, its status, why its parent is missing, attributes, events, logs. Pure.
 * Everything the span or the service sent is shown with its control characters escaped (one line each).
 */
import { safeLine } from '../../core/sanitize-terminal.js';
import type { AttributeValue, ReceivedSpan } from '../../verify/receiver/span.js';
import { formatDurationMs } from '../../verify/receiver/trace-tree.js';
import type { Line } from '../text.js';
import type { MissingParent } from './incomplete.js';
import { logsOfTrace } from './search.js';
import type { TraceSummary } from './traces.js';

function show(value: AttributeValue): string {
  if (typeof value === 'string') return safeLine(value);
  return safeLine(JSON.stringify(value));
}

export function spanDetailLines(
  span: ReceivedSpan,
  trace: TraceSummary,
  logs: readonly { service: string; text: string }[],
  missing: MissingParent | undefined,
  color: boolean,
): Line[] {
  const error = span.status.code === 'error';
  const offsetMs = Number(span.startTimeUnixNano - trace.startNs) / 1e6;
  const lines: Line[] = [
    {
      text: `${error ? '✗ ' : ''}${safeLine(span.serviceName)}  ${safeLine(span.name) || '(no name)'}  [${span.kind}]`,
      bold: true,
      ...(color && error ? { color: 'red' } : {}),
    },
    {
      text: `${formatDurationMs(span.durationMs)}, starting at +${formatDurationMs(offsetMs)} · span ${span.spanId} · parent ${span.parentSpanId ?? '(root)'}`,
      dim: true,
    },
    {
      text: `status: ${span.status.code}${span.status.message ? ` — ${safeLine(span.status.message)}` : ''}`,
      ...(color && error ? { color: 'red' } : {}),
    },
  ];
  if (missing) {
    lines.push({ text: `⚠ ${missing.text}`, ...(color ? { color: 'yellow' } : {}) });
    lines.push({ text: `  because ${missing.evidence}`, dim: true });
  }
  const attributes = Object.entries(span.attributes);
  lines.push({ text: `Attributes (${attributes.length}):`, bold: true });
  for (const [key, value] of attributes) lines.push({ text: `  ${safeLine(key)} = ${show(value)}` });
  if (span.events.length > 0) {
    lines.push({ text: `Events (${span.events.length}):`, bold: true });
    for (const event of span.events) {
      const at = formatDurationMs(Number(event.timeUnixNano - trace.startNs) / 1e6);
      const attrs = Object.entries(event.attributes)
        .map(([k, v]) => `${safeLine(k)}=${show(v)}`)
        .join(' ');
      lines.push({ text: `  +${at} ${safeLine(event.name)}${attrs ? `  ${attrs}` : ''}` });
    }
  }
  const own = logsOfTrace(logs, span.traceId);
  lines.push({ text: `Log lines with trace id ${span.traceId.slice(0, 8)}… (${own.length}):`, bold: true });
  if (own.length === 0)
    lines.push({ text: '  none (the logs do not carry the trace id, or nothing was logged)', dim: true });
  for (const line of own) lines.push({ text: `  ${safeLine(line.service)}: ${safeLine(line.text)}` });
  return lines;
}
