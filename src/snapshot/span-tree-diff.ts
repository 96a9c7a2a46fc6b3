/**
 * Two snapshots compared as span trees. Traces are matched by their root span (service + name, so probes of the same
 * route meet) and, among traces with the same root, by start order. Inside a matched pair spans are matched top-down:
 * 1. under matched parents, children with the same service + name, in start order;
 * 2. what is left and sits directly under a matched parent (or is a root): the same service + name anywhere else in the
 *    other trace — its parentage changed;
 * 3. then, under matched parents, a leftover child of the same service and kind at the same position among its
 *    siblings (start order) on each side, neither name left unmatched on the other side — renamed.
 * 4. when 2 and 3 pair nothing more: step 2 for any leftover span (one under a removed parent may now hang under an
 *    added one).
 * Every match repeats step 1 below it. What is still unmatched was removed (before only) or added (after only).
 * Matched spans compare their attributes: keys added, removed, values changed.
 */
import type { AttributeValue, ReceivedSpan } from '../verify/receiver/span.js';

export type Mark = ' ' | '+' | '-' | '~';

export interface AttributeChanges {
  added: { key: string; value: AttributeValue }[];
  removed: { key: string; value: AttributeValue }[];
  changed: { key: string; from: AttributeValue; to: AttributeValue }[];
}

export interface DiffNode {
  mark: Mark;
  service: string;
  name: string;
  /** The name before, when the span was renamed. */
  renamedFrom?: string;
  /** The parent before and after ("service: name", null for a root), when the parentage changed. */
  parentChanged?: { from: string | null; to: string | null };
  attributes?: AttributeChanges;
  children: DiffNode[];
}

export interface TraceDiff {
  root: { service: string; name: string };
  /** 1-based, among the traces with the same root in start order. */
  occurrence: number;
  status: 'matched' | 'added' | 'removed';
  spans: { before: number; after: number };
  /** The trace's tree with marks; unchanged branches are left out. Empty when nothing changed. */
  tree: DiffNode[];
}

interface Tree {
  spans: ReceivedSpan[];
  children: Map<ReceivedSpan | null, ReceivedSpan[]>;
  parent: Map<ReceivedSpan, ReceivedSpan | null>;
}

const byStart = (a: ReceivedSpan, b: ReceivedSpan): number =>
  a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0;
const label = (span: ReceivedSpan | null): string | null => (span ? `${span.serviceName}: ${span.name}` : null);
const same = (a: ReceivedSpan, b: ReceivedSpan): boolean => a.serviceName === b.serviceName && a.name === b.name;

function treeOf(spans: ReceivedSpan[]): Tree {
  const ids = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<ReceivedSpan | null, ReceivedSpan[]>();
  const parent = new Map<ReceivedSpan, ReceivedSpan | null>();
  for (const span of [...spans].sort(byStart)) {
    const p = (span.parentSpanId && span.parentSpanId !== span.spanId ? ids.get(span.parentSpanId) : undefined) ?? null;
    parent.set(span, p);
    const siblings = children.get(p);
    if (siblings) siblings.push(span);
    else children.set(p, [span]);
  }
  return { spans, children, parent };
}

function tracesOf(spans: readonly ReceivedSpan[]): Map<string, Tree[]> {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId);
    if (list) list.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  const trees = [...byTrace.values()].map(treeOf);
  const firstRoot = (t: Tree): ReceivedSpan => t.children.get(null)![0]!;
  trees.sort((a, b) => byStart(firstRoot(a), firstRoot(b)));
  const byRoot = new Map<string, Tree[]>();
  for (const t of trees) {
    const key = label(firstRoot(t))!;
    const list = byRoot.get(key);
    if (list) list.push(t);
    else byRoot.set(key, [t]);
  }
  return byRoot;
}

type PairKind = 'same' | 'moved' | 'renamed';

class Matching {
  readonly toAfter = new Map<ReceivedSpan, ReceivedSpan>();
  readonly toBefore = new Map<ReceivedSpan, { span: ReceivedSpan; kind: PairKind }>();
  constructor(
    readonly before: Tree,
    readonly after: Tree,
  ) {}

  pair(a: ReceivedSpan, b: ReceivedSpan, kind: PairKind): void {
    this.toAfter.set(a, b);
    this.toBefore.set(b, { span: a, kind });
    this.children(a, b);
  }

  /** Step 1 under a matched pair (null, null: the roots). */
  children(a: ReceivedSpan | null, b: ReceivedSpan | null): void {
    const free = (this.after.children.get(b) ?? []).filter((s) => !this.toBefore.has(s));
    for (const child of this.before.children.get(a) ?? []) {
      if (this.toAfter.has(child)) continue;
      const i = free.findIndex((s) => same(s, child));
      if (i >= 0) this.pair(child, free.splice(i, 1)[0]!, 'same');
    }
  }

  /** Leftover spans sitting directly under a matched parent (or at the top). */
  private frontier(tree: Tree, matched: Map<ReceivedSpan, unknown>): ReceivedSpan[] {
    return tree.spans
      .filter((s) => !matched.has(s) && (tree.parent.get(s) === null || matched.has(tree.parent.get(s)!)))
      .sort(byStart);
  }

  /** Steps 2 to 4, until nothing more pairs. */
  settle(): void {
    for (let progress = true; progress; ) {
      progress = this.moved(this.frontier(this.before, this.toAfter), this.frontier(this.after, this.toBefore));
      if (!progress) progress = this.renamed();
      // Below spans that were removed or added: the same service + name anywhere else in the other trace.
      if (!progress)
        progress = this.moved(this.leftover(this.before, this.toAfter), this.leftover(this.after, this.toBefore));
    }
  }

  /**
   * Step 3. A span whose service + name is still unmatched on the other side is never renamed: it is that span, moved
   * (step 4 finds it). The names are read once per pass; pairs made during it only make them stricter.
   */
  private renamed(): boolean {
    const key = (s: ReceivedSpan): string => `${s.serviceName}\u0000${s.name}`;
    const namesBefore = new Set(this.leftover(this.before, this.toAfter).map(key));
    const namesAfter = new Set(this.leftover(this.after, this.toBefore).map(key));
    let paired = false;
    for (const a of this.frontier(this.before, this.toAfter)) {
      if (this.toAfter.has(a) || namesAfter.has(key(a))) continue;
      const parentA = this.before.parent.get(a)!;
      const parentB = parentA === null ? null : this.toAfter.get(parentA)!;
      const siblingsB = this.after.children.get(parentB) ?? [];
      const b = siblingsB[this.before.children.get(parentA)!.indexOf(a)];
      if (
        b &&
        !this.toBefore.has(b) &&
        !namesBefore.has(key(b)) &&
        b.serviceName === a.serviceName &&
        b.kind === a.kind
      ) {
        this.pair(a, b, 'renamed');
        paired = true;
      }
    }
    return paired;
  }

  private leftover(tree: Tree, matched: Map<ReceivedSpan, unknown>): ReceivedSpan[] {
    return tree.spans.filter((s) => !matched.has(s)).sort(byStart);
  }

  private moved(before: ReceivedSpan[], after: ReceivedSpan[]): boolean {
    let paired = false;
    for (const a of before) {
      if (this.toAfter.has(a)) continue;
      const b = after.find((s) => !this.toBefore.has(s) && same(s, a));
      if (b) {
        this.pair(a, b, 'moved');
        paired = true;
      }
    }
    return paired;
  }
}

function attributeChanges(a: ReceivedSpan, b: ReceivedSpan): AttributeChanges | undefined {
  const changes: AttributeChanges = { added: [], removed: [], changed: [] };
  for (const [key, value] of Object.entries(a.attributes)) {
    if (!(key in b.attributes)) changes.removed.push({ key, value });
    else if (JSON.stringify(value) !== JSON.stringify(b.attributes[key]))
      changes.changed.push({ key, from: value, to: b.attributes[key]! });
  }
  for (const [key, value] of Object.entries(b.attributes))
    if (!(key in a.attributes)) changes.added.push({ key, value });
  return changes.added.length + changes.removed.length + changes.changed.length > 0 ? changes : undefined;
}

/** Leaves out unchanged branches. */
function prune(nodes: DiffNode[]): DiffNode[] {
  return nodes.flatMap((n) => {
    const children = prune(n.children);
    return n.mark === ' ' && children.length === 0 ? [] : [{ ...n, children }];
  });
}

function wholeTree(tree: Tree, mark: '+' | '-', parent: ReceivedSpan | null = null): DiffNode[] {
  return (tree.children.get(parent) ?? []).map((s) => ({
    mark,
    service: s.serviceName,
    name: s.name,
    children: wholeTree(tree, mark, s),
  }));
}

function diffPair(before: Tree, after: Tree): DiffNode[] {
  const m = new Matching(before, after);
  m.children(null, null);
  m.settle();
  const removedUnder = (a: ReceivedSpan | null): DiffNode[] =>
    (before.children.get(a) ?? [])
      .filter((s) => !m.toAfter.has(s))
      .map((s) => ({ mark: '-' as const, service: s.serviceName, name: s.name, children: removedUnder(s) }));
  const build = (b: ReceivedSpan | null, a: ReceivedSpan | null): DiffNode[] => {
    const nodes = (after.children.get(b) ?? []).map((s): DiffNode => {
      const match = m.toBefore.get(s);
      if (!match) return { mark: '+', service: s.serviceName, name: s.name, children: build(s, null) };
      const node: DiffNode = { mark: ' ', service: s.serviceName, name: s.name, children: build(s, match.span) };
      if (match.kind === 'renamed') node.renamedFrom = match.span.name;
      if (match.kind === 'moved')
        node.parentChanged = { from: label(before.parent.get(match.span)!), to: label(after.parent.get(s)!) };
      const attributes = attributeChanges(match.span, s);
      if (attributes) node.attributes = attributes;
      if (node.renamedFrom !== undefined || node.parentChanged || node.attributes) node.mark = '~';
      return node;
    });
    // The removed children of the span this one was matched to (a, or the tops of the trees when both are null).
    return b === null || a !== null ? [...nodes, ...removedUnder(a)] : nodes;
  };
  return prune(build(null, null));
}

/** Every trace of both snapshots, matched and compared; traces with nothing changed have an empty tree. */
export function diffSnapshots(before: readonly ReceivedSpan[], after: readonly ReceivedSpan[]): TraceDiff[] {
  const a = tracesOf(before);
  const b = tracesOf(after);
  const out: TraceDiff[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const listA = a.get(key) ?? [];
    const listB = b.get(key) ?? [];
    for (let i = 0; i < Math.max(listA.length, listB.length); i++) {
      const ta = listA[i];
      const tb = listB[i];
      const rootSpan = (ta ?? tb)!.children.get(null)![0]!;
      const root = { service: rootSpan.serviceName, name: rootSpan.name };
      const spans = { before: ta?.spans.length ?? 0, after: tb?.spans.length ?? 0 };
      if (ta && tb) out.push({ root, occurrence: i + 1, status: 'matched', spans, tree: diffPair(ta, tb) });
      else if (tb) out.push({ root, occurrence: i + 1, status: 'added', spans, tree: wholeTree(tb, '+') });
      else out.push({ root, occurrence: i + 1, status: 'removed', spans, tree: wholeTree(ta!, '-') });
    }
  }
  return out;
}
