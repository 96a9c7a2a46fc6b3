/**
 * YAML edits that keep the user's file: parse with the `yaml` Document API (comments, key order and scalar styles are
 * kept), change only what is missing, and print it back in the indentation style the file already uses.
 */
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Pair,
  type ToStringOptions,
  type YAMLMap,
} from 'yaml';

export type YamlParse = { ok: true; doc: Document.Parsed } | { ok: false; message: string; line: number; col: number };

/** Parses one YAML document; a syntax error comes back with its 1-based line and column. */
export function parseYaml(text: string): YamlParse {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const message = error.message.split('\n')[0] ?? error.message;
    return { ok: false, message, line: pos?.line ?? 1, col: pos?.col ?? 1 };
  }
  return { ok: true, doc };
}

/** The indentation the text already uses (spaces per level; whether "- item" is indented under its key). */
export function detectYamlStyle(text: string): Pick<ToStringOptions, 'indent' | 'indentSeq'> {
  const lines = text.split(/\r?\n/);
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (!/^\s*[^\s#-][^#]*:\s*(#.*)?$/.test(line)) continue;
    const own = line.length - line.trimStart().length;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (!next) continue;
    const nextIndent = next.length - next.trimStart().length;
    if (next.trimStart().startsWith('- ')) {
      indentSeq ??= nextIndent > own;
    } else if (nextIndent > own) {
      indent ??= nextIndent - own;
    }
    if (indent !== undefined && indentSeq !== undefined) break;
  }
  return { indent: indent ?? 2, indentSeq: indentSeq ?? true };
}

/** Prints the document in the style of `original` (or the default style), never folding long lines. */
export function stringifyLike(doc: Document, original?: string): string {
  const style = original === undefined ? {} : detectYamlStyle(original);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, ...style });
}

/**
 * Copies into `target` what `source` has and `target` lacks, recursively: missing keys are added (with their comments),
 * maps are merged, and scalar lists get the missing items appended. A value the user already set is never changed.
 * Returns the dotted paths that were added.
 */
export function mergeMissing(target: YAMLMap, source: YAMLMap, at = ''): string[] {
  const added: string[] = [];
  for (const [index, pair] of source.items.entries()) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const keyText = String(key);
    const here = at ? `${at}.${keyText}` : keyText;
    if (!target.has(key)) {
      const copy = clonePair(source, index);
      if (at === '' && target.items.length > 0 && isScalar(copy.key)) copy.key.spaceBefore = true;
      target.items.push(copy);
      added.push(here);
      continue;
    }
    const mine = target.get(key, true);
    const theirs = pair.value;
    if (isMap(mine) && isMap(theirs)) {
      added.push(...mergeMissing(mine, theirs, here));
    } else if (isSeq(mine) && isSeq(theirs)) {
      const have = new Set(mine.items.map((item) => (isScalar(item) ? item.value : undefined)));
      for (const item of theirs.items) {
        if (isScalar(item) && !have.has(item.value)) {
          mine.items.push(item.clone());
          added.push(`${here}[${String(item.value)}]`);
        }
      }
    }
  }
  return added;
}

/**
 * Clones the pair at `index` of a map with the comment written above it: YAML keeps the comment above a map's first key
 * on the map itself, so the copy of the first pair takes it from there.
 */
export function clonePair(map: YAMLMap, index: number): Pair {
  const copy = map.items[index]!.clone() as Pair;
  if (index === 0 && map.commentBefore && isScalar(copy.key) && !copy.key.commentBefore)
    copy.key.commentBefore = map.commentBefore;
  return copy;
}
