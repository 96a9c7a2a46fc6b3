/**
 * Edit proposals from drop sites: each file's replacements turned into unique old/new text pairs (editPairs), and one
 * proposal per file holding every safe rewrite in it (proposalsFor).
 */
import { editFile } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import type { Service } from '../../types/scan.js';
import { lineStart, type Range, type SourceFile } from '../../source-reading/code.js';
import { headOf } from '../finding-helpers.js';
import { CONTEXT_DROPPED_ID as ID, type DropSite, type Replacement } from './drop-site.js';

function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

function lineEnd(text: string, index: number): number {
  const end = text.indexOf('\n', index);
  return end === -1 ? text.length : end;
}

/**
 * The edit pairs for a set of replacements in one file: each replacement's line (or the block it belongs to) is one
 * piece; overlapping pieces are joined; a piece is widened by a line at a time until its text is unique in the file.
 * Undefined when two replacements conflict or a piece never becomes unique.
 */
export function editPairs(
  text: string,
  changes: Array<{ reps: Replacement[]; block?: Range }>,
): Array<{ old: string; new: string }> | undefined {
  const reps: Replacement[] = [];
  for (const c of changes) {
    for (const r of c.reps) {
      const same = reps.find((q) => q.at === r.at && q.end === r.end);
      if (same) {
        if (same.text !== r.text) return undefined;
        continue;
      }
      if (reps.some((q) => q.at < r.end && r.at < q.end)) return undefined;
      reps.push(r);
    }
  }
  const pieces: Array<{ start: number; end: number }> = [];
  for (const c of changes) {
    for (const r of c.reps)
      pieces.push({ start: lineStart(text, r.at), end: lineEnd(text, Math.max(r.at, r.end - 1)) });
    if (c.block) pieces.push({ start: lineStart(text, c.block.start), end: lineEnd(text, c.block.end) });
  }
  pieces.sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push({ ...p });
  }
  const out: Array<{ old: string; new: string }> = [];
  for (const piece of merged) {
    let { start } = piece;
    while (count(text, text.slice(start, piece.end)) > 1) {
      if (start === 0) return undefined;
      start = lineStart(text, start - 1);
    }
    let fixed = text.slice(start, piece.end);
    for (const r of reps.filter((q) => q.at >= start && q.end <= piece.end).sort((a, b) => b.at - a.at)) {
      fixed = fixed.slice(0, r.at - start) + r.text + fixed.slice(r.end - start);
    }
    out.push({ old: text.slice(start, piece.end), new: fixed });
  }
  return out;
}

/**
 * One edit proposal per file, holding every safe rewrite of the sites in it. A site whose rewrite spans several files
 * (a function given a ctx parameter, and its callers) is proposed in all of them or in none.
 */
export function proposalsFor(service: Service, sites: DropSite[]): { proposals: Proposal[]; unpaired: DropSite[] } {
  let fixable = sites.filter((s) => s.fix);
  const unpaired: DropSite[] = [];
  for (;;) {
    const byFile = new Map<SourceFile, Array<{ reps: Replacement[]; block?: Range }>>();
    const addTo = (file: SourceFile, change: { reps: Replacement[]; block?: Range }) =>
      byFile.set(file, [...(byFile.get(file) ?? []), change]);
    for (const s of fixable) {
      addTo(s.file, s.fix!);
      for (const more of s.more ?? []) addTo(more.file, { reps: more.reps });
    }
    const pairs = new Map([...byFile].map(([file, changes]) => [file, editPairs(file.text, changes)] as const));
    const failed = new Set([...pairs].filter(([, p]) => !p || p.length === 0).map(([file]) => file));
    if (failed.size === 0) {
      const proposals = [...pairs].map(([file, p]) =>
        editFile(
          headOf(
            ID,
            service,
            `Pass the request's context on in ${file.path}`,
            'spans started without the request context begin new traces',
            'propagation',
          ),
          file.path,
          p!,
        ),
      );
      return { proposals, unpaired };
    }
    const touches = (s: DropSite) => failed.has(s.file) || (s.more ?? []).some((m) => failed.has(m.file));
    unpaired.push(...fixable.filter(touches));
    fixable = fixable.filter((s) => !touches(s));
  }
}
