/** What the per-language service logic (detect/node.ts, python.ts, go.ts, java.ts) gets and gives back. */
import type { Evidence, Service } from '../../types/scan.js';
import type { CommandLine, Dockerfile } from '../manifests/deploy.js';
import type { FileScan, PortHit } from './matcher.js';

export interface ScannedFile {
  /** Repo-relative path. */
  file: string;
  scan: FileScan;
}

export interface ServiceInput {
  /** Repo-relative service folder ('.' for the root). */
  root: string;
  /** Whether a repo-relative path is among the listed files. */
  exists(rel: string): boolean;
  /** Source files that were read, in path order. */
  scanned: readonly ScannedFile[];
  /** Finding names found so far, framework category. */
  frameworks: readonly string[];
  procfile?: CommandLine;
  dockerfile?: Dockerfile;
}

export interface Decision {
  entrypoint?: { file: string; evidence: Evidence };
  start?: NonNullable<Service['start']>;
  /** Port candidates beyond the source ones (config files, start command); rank 0 = written in the start command. */
  ports: PortHit[];
  typescript?: boolean;
  moduleSystem?: 'commonjs' | 'esm';
}

/** Service-relative path of a repo-relative path. */
export function inService(root: string, rel: string): string {
  return root === '.' ? rel : rel.slice(root.length + 1);
}

/** First scanned file having a marker of one of `kinds` (in order of kinds), with a tie-break on the path. */
export function pickMarked(
  scanned: readonly ScannedFile[],
  kinds: readonly string[],
  prefer: (file: string) => number = () => 0,
): { file: string; evidence: Evidence; kind: string } | undefined {
  for (const kind of kinds) {
    const marked = scanned.filter((s) => s.scan.markers.has(kind));
    if (marked.length === 0) continue;
    marked.sort(
      (a, b) => prefer(a.file) - prefer(b.file) || depth(a.file) - depth(b.file) || (a.file < b.file ? -1 : 1),
    );
    const best = marked[0]!;
    return { file: best.file, evidence: best.scan.markers.get(kind)!, kind };
  }
  return undefined;
}

export function depth(rel: string): number {
  let n = 0;
  for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) n++;
  return n;
}
