/**
 * The parent/child tree of one trace, its orphans (a parent id is set but that parent never arrived), and a plain-text
 * rendering for `trace-guide receive`: one line per span with service, name, kind, duration and an error mark.
 */
import { safeLine } from '../../core/sanitize-terminal.js';
import type { ReceivedSpan } from './span.js';

export interface TraceTreeNode {
  span: ReceivedSpan;
  children: TraceTreeNode[];
}

export interface TraceTree {
  traceId: string;
  /** Spans without a parent id, earliest first. */
  roots: TraceTreeNode[];
  /** Spans whose parent id names a span that is not in the trace (not sent, not yet arrived, or dropped). */
  orphans: TraceTreeNode[];
  spanCount: number;
  services: string[];
  errorCount: number;
}

function byStartTime(a: TraceTreeNode, b: TraceTreeNode): number {
  const delta = a.span.startTimeUnixNano - b.span.startTimeUnixNano;
  return delta < 0n ? -1 : delta > 0n ? 1 : 0;
}

/**
 * Builds the tree of the spans of one trace. A span id seen twice keeps its last arrival. A cycle of parent ids (which a
 * correct SDK never sends) is broken by treating its earliest span as an orphan, so every span appears exactly once.
 */
export function buildTraceTree(spans: readonly ReceivedSpan[]): TraceTree {
  const nodes = new Map<string, TraceTreeNode>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [] });
  const roots: TraceTreeNode[] = [];
  const orphans: TraceTreeNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId === undefined ? undefined : nodes.get(parentId);
    if (parentId === undefined) roots.push(node);
    else if (parent === undefined || parent === node) orphans.push(node);
    else parent.children.push(node);
  }
  // Spans in a parent cycle are reachable from no root or orphan; break each cycle at its earliest span.
  const reached = new Set<TraceTreeNode>();
  const markReached = (start: TraceTreeNode): void => {
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop() as TraceTreeNode;
      if (reached.has(node)) continue;
      reached.add(node);
      stack.push(...node.children);
    }
  };
  for (const node of [...roots, ...orphans]) markReached(node);
  if (reached.size < nodes.size) {
    const unreached = [...nodes.values()].filter((node) => !reached.has(node)).sort(byStartTime);
    for (const node of unreached) {
      if (reached.has(node)) continue;
      const parent = nodes.get(node.span.parentSpanId as string);
      if (parent !== undefined) parent.children = parent.children.filter((child) => child !== node);
      orphans.push(node);
      markReached(node);
    }
  }
  const sortDeep = (list: TraceTreeNode[]): void => {
    list.sort(byStartTime);
    for (const node of list) sortDeep(node.children);
  };
  sortDeep(roots);
  sortDeep(orphans);
  const distinct = [...nodes.values()].map((node) => node.span);
  return {
    traceId: spans[0]?.traceId ?? '',
    roots,
    orphans,
    spanCount: distinct.length,
    services: [...new Set(distinct.map((span) => span.serviceName))].sort(),
    errorCount: distinct.filter((span) => span.status.code === 'error').length,
  };
}

export function formatDurationMs(durationMs: number): string {
  if (!Number.isFinite(durationMs)) return '? ms';
  if (durationMs < 0) return `${durationMs.toFixed(3)} ms (end before start)`;
  if (durationMs < 1) return `${Math.round(durationMs * 1000)} µs`;
  if (durationMs < 1000) return `${durationMs.toFixed(1)} ms`;
  return `${(durationMs / 1000).toFixed(2)} s`;
}

function spanLine(span: ReceivedSpan): string {
  // Names and messages come from whoever sent the span: shown with control characters escaped, on one line.
  const error =
    span.status.code === 'error' ? `  ✗ error${span.status.message ? `: ${safeLine(span.status.message)}` : ''}` : '';
  return `${safeLine(span.serviceName)}  ${safeLine(span.name) || '(no name)'}  [${span.kind}]  ${formatDurationMs(span.durationMs)}${error}`;
}

function renderNodes(nodes: readonly TraceTreeNode[], prefix: string, lines: string[]): void {
  nodes.forEach((node, index) => {
    const last = index === nodes.length - 1;
    lines.push(`${prefix}${last ? '└─ ' : '├─ '}${spanLine(node.span)}`);
    renderNodes(node.children, `${prefix}${last ? '   ' : '│  '}`, lines);
  });
}

/**
 * Renders a trace as an indented text tree, e.g.
 *
 *     trace 4bf92f35…4736  3 spans  2 services  1 error
 *     └─ frontend  GET /checkout  [server]  12.3 ms
 *        └─ orders  POST /orders  [server]  7.2 ms  ✗ error: card declined
 */
export function renderTraceTree(tree: TraceTree): string {
  const counts = [
    `${tree.spanCount} span${tree.spanCount === 1 ? '' : 's'}`,
    `${tree.services.length} service${tree.services.length === 1 ? '' : 's'} (${tree.services.map(safeLine).join(', ')})`,
  ];
  if (tree.errorCount > 0) counts.push(`${tree.errorCount} error${tree.errorCount === 1 ? '' : 's'}`);
  const lines = [`trace ${tree.traceId}  ${counts.join('  ')}`];
  renderNodes(tree.roots, '', lines);
  for (const orphan of tree.orphans) {
    lines.push(`orphan: parent ${orphan.span.parentSpanId ?? '?'} did not arrive`);
    renderNodes([orphan], '', lines);
  }
  return lines.join('\n');
}
