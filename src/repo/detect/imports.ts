/**
 * Import statements per language, found with one linear regex pass over the text (no parsing): each result is the
 * specifier as written and its offset, for evidence.
 */
import type { Language } from '../../types/scan.js';

export interface ImportRef {
  spec: string;
  index: number;
}

// import x from 'm' | export * from 'm' | import 'm' | require('m') | import('m')
const NODE_IMPORT = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^[ \t]*import\s*)(['"])([^'"\n]{1,200})\1/gm;
// import a.b as c, d | from a.b import c
const PY_IMPORT = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w. \t,]+))/gm;
const GO_IMPORT_BLOCK = /^import\s*\(([^)]*)\)/gm;
const GO_IMPORT_LINE = /^import\s+(?:[\w.]+\s+)?"([^"\n]+)"/gm;
const GO_QUOTED = /"([^"\n]+)"/g;
const JAVA_IMPORT = /^[ \t]*import\s+(?:static\s+)?([\w.]+)/gm;

function nodeImports(text: string): ImportRef[] {
  const out: ImportRef[] = [];
  for (const m of text.matchAll(NODE_IMPORT)) {
    let spec = m[2]!;
    if (spec.startsWith('.') || spec.startsWith('/')) continue;
    if (spec.startsWith('node:')) spec = spec.slice(5);
    out.push({ spec, index: m.index });
  }
  return out;
}

function pythonImports(text: string): ImportRef[] {
  const out: ImportRef[] = [];
  for (const m of text.matchAll(PY_IMPORT)) {
    if (m[1] !== undefined) {
      if (!m[1].startsWith('.')) out.push({ spec: m[1], index: m.index });
      continue;
    }
    for (const part of m[2]!.split(',')) {
      const spec = part.trim().split(/\s+/)[0];
      if (spec) out.push({ spec, index: m.index });
    }
  }
  return out;
}

/**
 * Go and Java put every import before the first declaration, so only that header is searched: the end of the header is
 * the first line `stop` accepts (a cheap line walk that usually ends within the first few dozen lines).
 */
function header(text: string, stop: (line: string) => boolean): string {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (stop(text.slice(start, end).trimStart())) return text.slice(0, start);
    start = end + 1;
  }
  return text;
}
const GO_DECL = /^(?:func|type|var|const)\b/;
const JAVA_HEADER_LINE = /^(?:import\b|package\b|\/\/|\/\*|\*|$)/;

function goImports(full: string): ImportRef[] {
  const text = header(full, (line) => GO_DECL.test(line));
  const out: ImportRef[] = [];
  for (const block of text.matchAll(GO_IMPORT_BLOCK)) {
    const bodyStart = block.index + block[0].indexOf('(') + 1;
    for (const q of block[1]!.matchAll(GO_QUOTED)) out.push({ spec: q[1]!, index: bodyStart + q.index });
  }
  for (const m of text.matchAll(GO_IMPORT_LINE)) out.push({ spec: m[1]!, index: m.index });
  return out;
}

function javaImports(full: string): ImportRef[] {
  let inComment = false;
  const text = header(full, (line) => {
    if (inComment || line.startsWith('/*')) {
      inComment = !line.includes('*/');
      return false;
    }
    return !JAVA_HEADER_LINE.test(line);
  });
  const out: ImportRef[] = [];
  for (const m of text.matchAll(JAVA_IMPORT)) out.push({ spec: m[1]!, index: m.index });
  return out;
}

/** Languages whose sources the scan reads; a listed language (no recipes yet) is known by its manifest alone. */
export const IMPORT_EXTRACTORS: Partial<Record<Language, (text: string) => ImportRef[]>> = {
  node: nodeImports,
  python: pythonImports,
  go: goImports,
  java: javaImports,
};
