/**
 * Layout of the trace view: the waterfall rows (an indented tree in start order), the duration bars scaled to the trace,
 * and fitting text to columns. Pure.
 */
import { safeLine } from '../../core/sanitize-terminal.js';
import type { ReceivedSpan } from '../../verify/receiver/span.js';
import { formatDurationMs, type TraceTree, type TraceTreeNode } from '../../verify/receiver/trace-tree.js';

export type WaterfallRow =
  | { kind: 'span'; span: ReceivedSpan; depth: number }
  /** Stands above a span whose parent never arrived. */
  | { kind: 'gap'; span: ReceivedSpan; parentSpanId: string };

/** Roots and orphans merged in start order, each followed by its subtree (children in start order). */
export function waterfallRows(tree: TraceTree): WaterfallRow[] {
  const tops = [
    ...tree.roots.map((node) => ({ node, orphan: false })),
    ...tree.orphans.map((node) => ({ node, orphan: true })),
  ].sort((a, b) =>
    a.node.span.startTimeUnixNano < b.node.span.startTimeUnixNano
      ? -1
      : a.node.span.startTimeUnixNano > b.node.span.startTimeUnixNano
        ? 1
        : 0,
  );
  const rows: WaterfallRow[] = [];
  for (const { node, orphan } of tops) {
    if (orphan) rows.push({ kind: 'gap', span: node.span, parentSpanId: node.span.parentSpanId ?? '?' });
    // Iterative, so a 500-span chain cannot overflow the stack.
    const stack: { node: TraceTreeNode; depth: number }[] = [{ node, depth: orphan ? 1 : 0 }];
    while (stack.length > 0) {
      const { node: current, depth } = stack.pop()!;
      rows.push({ kind: 'span', span: current.span, depth });
      for (let i = current.children.length - 1; i >= 0; i--)
        stack.push({ node: current.children[i]!, depth: depth + 1 });
    }
  }
  return rows;
}

/**
 * A duration bar of exactly `width` cells: blanks up to where the span starts in the trace, then █ for its length;
 * a span shorter than one cell is drawn as ▏ so that it is never invisible.
 */
export function durationBar(
  startNs: bigint,
  endNs: bigint,
  traceStartNs: bigint,
  traceEndNs: bigint,
  width: number,
): string {
  const cells = Math.max(1, Math.floor(width));
  const total = Number(traceEndNs - traceStartNs);
  if (!(total > 0)) return '█'.repeat(cells);
  const scale = cells / total;
  const from = Math.min(cells - 1, Math.max(0, Math.floor(Number(startNs - traceStartNs) * scale)));
  const length = Math.max(0, Number(endNs - startNs) * scale);
  const full = Math.min(cells - from, Math.round(length));
  const bar = full >= 1 ? '█'.repeat(full) : '▏';
  return (' '.repeat(from) + bar).padEnd(cells, ' ');
}

/**
 * Cuts text to `width` characters with an ellipsis, or pads it with spaces to exactly `width`. Control characters (from
 * span names, attribute values, log lines) are shown as escapes first, so what is counted is what is printed.
 */
export function fit(raw: string, width: number): string {
  if (width <= 0) return '';
  const text = safeLine(raw);
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return text.padEnd(width, ' ');
}

export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

const BAR_SHARE = 0.3;
const DURATION_WIDTH = 9;
const MAX_INDENT = 10;

/** The bar width used for a waterfall at `width` columns. */
export function barWidth(width: number): number {
  return Math.max(8, Math.floor(width * BAR_SHARE));
}

/**
 * One waterfall line of exactly `width` characters: the error mark, the indented "service name [kind]", the duration
 * and the bar. (The selection mark is the caller's first two columns, included in `width`.)
 */
export function spanLine(
  span: ReceivedSpan,
  depth: number,
  traceStartNs: bigint,
  traceEndNs: bigint,
  width: number,
): string {
  const bar = barWidth(width);
  const labelWidth = Math.max(4, width - bar - DURATION_WIDTH - 4);
  const error = span.status.code === 'error' ? '✗' : ' ';
  const indent = ' '.repeat(Math.min(depth, MAX_INDENT));
  const label = fit(`${indent}${span.serviceName} ${span.name || '(no name)'} [${span.kind}]`, labelWidth);
  const duration = formatDurationMs(span.durationMs)
    .padStart(DURATION_WIDTH - 1, ' ')
    .slice(0, DURATION_WIDTH - 1);
  return fit(
    `${error} ${label} ${duration} ${durationBar(span.startTimeUnixNano, span.endTimeUnixNano, traceStartNs, traceEndNs, bar)}`,
    width,
  );
}
