/**
 * Adding and removing imports in a Go file's text, keeping gofmt's layout: the standard library in the first group,
 * other modules in the last one, each group sorted by path.
 */

export interface GoImport {
  path: string;
  /** Import name (e.g. sdktrace), when the import is renamed. */
  alias?: string;
}

/** Paths imported by the file (from its import block or single import lines). */
export function importedPaths(text: string): Set<string> {
  const out = new Set<string>();
  const block = importSection(text);
  if (block) for (const m of block.text.matchAll(/(?:^|\s)(?:[\w.]+\s+)?"([^"]+)"/g)) out.add(m[1]!);
  return out;
}

function isStd(importPath: string): boolean {
  return !importPath.split('/')[0]!.includes('.');
}

function specLine(spec: GoImport): string {
  return spec.alias ? `\t${spec.alias} "${spec.path}"` : `\t"${spec.path}"`;
}

function pathOfLine(line: string): string | undefined {
  return /"([^"]+)"/.exec(line)?.[1];
}

/** The file's import declarations as one span of text (a parenthesised block or consecutive single imports). */
function importSection(text: string): { start: number; text: string } | undefined {
  const block = /^import\s*\(\n[\s\S]*?^\)[^\n]*\n?/m.exec(text);
  if (block) return { start: block.index, text: block[0] };
  const singles = /^(?:import\s+(?:[\w.]+\s+)?"[^"]+"[^\n]*\n)+/m.exec(text);
  if (singles) return { start: singles.index, text: singles[0] };
  return undefined;
}

function renderBlock(groups: string[][]): string {
  return `import (\n${groups
    .filter((g) => g.length > 0)
    .map((g) => g.join('\n'))
    .join('\n\n')}\n)\n`;
}

/**
 * The text with `add` imported and `remove` no longer imported (already-present imports are kept as they are).
 * Returns the text unchanged when there is nothing to do.
 */
export function withImports(text: string, add: readonly GoImport[], remove: readonly string[] = []): string {
  const present = importedPaths(text);
  const missing = dedupe(add).filter((spec) => !present.has(spec.path));
  const dropping = remove.filter((p) => present.has(p));
  if (missing.length === 0 && dropping.length === 0) return text;

  const section = importSection(text);
  let groups: string[][] = [];
  if (section) {
    const lines = section.text.startsWith('import (')
      ? section.text
          .replace(/^import\s*\(\n/, '')
          .replace(/^\)[^\n]*\n?$/m, '')
          .split('\n')
      : section.text
          .split('\n')
          .filter(Boolean)
          .map((l) => '\t' + l.replace(/^import\s+/, ''));
    let current: string[] = [];
    for (const line of lines) {
      if (line.trim() === '') {
        if (current.length) groups.push(current);
        current = [];
      } else current.push(line);
    }
    if (current.length) groups.push(current);
  }
  groups = groups.map((g) => g.filter((line) => !dropping.includes(pathOfLine(line) ?? '')));

  for (const spec of missing) {
    const std = isStd(spec.path);
    let target = std
      ? groups.find((g) => g.every((l) => isStd(pathOfLine(l) ?? '')))
      : [...groups].reverse().find((g) => g.some((l) => !isStd(pathOfLine(l) ?? '')));
    if (!target) {
      target = [];
      if (std) groups.unshift(target);
      else groups.push(target);
    }
    const line = specLine(spec);
    const at = target.findIndex((l) => (pathOfLine(l) ?? '') > spec.path);
    if (at === -1) target.push(line);
    else target.splice(at, 0, line);
  }

  const rendered = groups.some((g) => g.length > 0) ? renderBlock(groups) : '';
  if (section) return text.slice(0, section.start) + rendered + text.slice(section.start + section.text.length);
  const pkg = /^package\s+\w+[^\n]*\n/m.exec(text);
  if (!pkg) return text;
  const after = pkg.index + pkg[0].length;
  return text.slice(0, after) + '\n' + rendered + text.slice(after);
}

function dedupe(specs: readonly GoImport[]): GoImport[] {
  const seen = new Map<string, GoImport>();
  for (const s of specs) if (!seen.has(s.path)) seen.set(s.path, s);
  return [...seen.values()];
}
