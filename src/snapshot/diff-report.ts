/**
 * The result of `diff A B`, as text (a short tree per changed trace with +/-/~ marks) and as JSON (the same facts, one
 * entry per change with the span's path from its root).
 */
import type { AttributeValue } from '../verify/receiver/span.js';
import type { DiffNode, TraceDiff } from './span-tree-diff.js';

export interface SnapshotSide {
  file: string;
  traces: number;
  spans: number;
}

export type SpanChange =
  | { change: 'added' | 'removed'; service: string; name: string; path: string[] }
  | { change: 'renamed'; service: string; name: string; path: string[]; from: string }
  | { change: 'parent'; service: string; name: string; path: string[]; from: string | null; to: string | null }
  | {
      change: 'attributes';
      service: string;
      name: string;
      path: string[];
      added: string[];
      removed: string[];
      changed: { key: string; from: AttributeValue; to: AttributeValue }[];
    };

export interface DiffSummary {
  tracesAdded: number;
  tracesRemoved: number;
  tracesChanged: number;
  tracesUnchanged: number;
  spansAdded: number;
  spansRemoved: number;
  renamed: number;
  parentChanged: number;
  attributesChanged: number;
}

function changesOf(nodes: DiffNode[], path: string[] = []): SpanChange[] {
  return nodes.flatMap((n) => {
    const here = [...path, `${n.service}: ${n.name}`];
    const base = { service: n.service, name: n.name, path: here };
    const own: SpanChange[] = [];
    if (n.mark === '+') own.push({ change: 'added', ...base });
    if (n.mark === '-') own.push({ change: 'removed', ...base });
    if (n.renamedFrom !== undefined) own.push({ change: 'renamed', ...base, from: n.renamedFrom });
    if (n.parentChanged) own.push({ change: 'parent', ...base, ...n.parentChanged });
    if (n.attributes) {
      own.push({
        change: 'attributes',
        ...base,
        added: n.attributes.added.map((a) => a.key),
        removed: n.attributes.removed.map((a) => a.key),
        changed: n.attributes.changed,
      });
    }
    return [...own, ...changesOf(n.children, here)];
  });
}

export function summarize(traces: TraceDiff[]): DiffSummary {
  const changes = traces.filter((t) => t.status === 'matched').flatMap((t) => changesOf(t.tree));
  const count = (kind: SpanChange['change']): number => changes.filter((c) => c.change === kind).length;
  return {
    tracesAdded: traces.filter((t) => t.status === 'added').length,
    tracesRemoved: traces.filter((t) => t.status === 'removed').length,
    tracesChanged: traces.filter((t) => t.status === 'matched' && t.tree.length > 0).length,
    tracesUnchanged: traces.filter((t) => t.status === 'matched' && t.tree.length === 0).length,
    spansAdded: count('added'),
    spansRemoved: count('removed'),
    renamed: count('renamed'),
    parentChanged: count('parent'),
    attributesChanged: count('attributes'),
  };
}

export function hasDifferences(summary: DiffSummary): boolean {
  return summary.tracesAdded + summary.tracesRemoved + summary.tracesChanged > 0;
}

export function diffJson(before: SnapshotSide, after: SnapshotSide, traces: TraceDiff[]): Record<string, unknown> {
  const summary = summarize(traces);
  return {
    ok: true,
    same: !hasDifferences(summary),
    before,
    after,
    summary,
    traces: traces
      .filter((t) => t.tree.length > 0)
      .map((t) => ({
        root: t.root,
        occurrence: t.occurrence,
        status: t.status,
        spans: t.spans,
        changes: t.status === 'matched' ? changesOf(t.tree) : [],
      })),
  };
}

const value = (v: AttributeValue): string => JSON.stringify(v);

function notesOf(n: DiffNode): string {
  const notes: string[] = [];
  if (n.renamedFrom !== undefined) notes.push(`renamed from "${n.renamedFrom}"`);
  if (n.parentChanged) notes.push(`parent: ${n.parentChanged.from ?? '(root)'} → ${n.parentChanged.to ?? '(root)'}`);
  if (n.attributes) {
    const parts = [
      ...n.attributes.added.map((a) => `+${a.key}`),
      ...n.attributes.removed.map((a) => `-${a.key}`),
      ...n.attributes.changed.map((c) => `${c.key} ${value(c.from)} → ${value(c.to)}`),
    ];
    notes.push(`attributes: ${parts.join(', ')}`);
  }
  return notes.length > 0 ? `  ${notes.join('; ')}` : '';
}

function treeLines(nodes: DiffNode[], depth: number): string[] {
  return nodes.flatMap((n) => [
    `${n.mark} ${'  '.repeat(depth)}${n.name} [${n.service}]${notesOf(n)}`,
    ...treeLines(n.children, depth + 1),
  ]);
}

export function diffText(before: SnapshotSide, after: SnapshotSide, traces: TraceDiff[]): string {
  const side = (s: SnapshotSide): string => `${s.file} (${s.traces} trace(s), ${s.spans} span(s))`;
  const lines = [`before: ${side(before)}`, `after:  ${side(after)}`];
  for (const t of traces) {
    if (t.tree.length === 0) continue;
    const title = `${t.root.name} [${t.root.service}]${t.occurrence > 1 ? ` #${t.occurrence}` : ''}`;
    lines.push('');
    if (t.status === 'added') lines.push(`+ trace ${title}: only after (${t.spans.after} span(s))`);
    else if (t.status === 'removed') lines.push(`- trace ${title}: only before (${t.spans.before} span(s))`);
    else lines.push(`~ trace ${title} (${t.spans.before} → ${t.spans.after} span(s))`, ...treeLines(t.tree, 1));
  }
  const s = summarize(traces);
  lines.push(
    '',
    hasDifferences(s)
      ? `traces: ${s.tracesChanged} changed, ${s.tracesAdded} only after, ${s.tracesRemoved} only before, ${s.tracesUnchanged} unchanged; spans: ${s.spansAdded} added, ${s.spansRemoved} removed, ${s.renamed} renamed, ${s.parentChanged} moved, ${s.attributesChanged} with attributes changed`
      : `no differences: ${s.tracesUnchanged} trace(s) have the same span trees and attributes`,
  );
  return lines.join('\n');
}
