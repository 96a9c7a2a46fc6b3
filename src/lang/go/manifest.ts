/** go.mod: the module path and the required modules, with line evidence; a malformed file is an error. */
import type { Dependency } from '../../repo/manifests/dependency.js';

export interface GoMod {
  module: string;
  dependencies: Dependency[];
}

const DIRECTIVES = new Set([
  'module',
  'go',
  'toolchain',
  'require',
  'replace',
  'exclude',
  'retract',
  'godebug',
  'tool',
  'ignore',
]);

export function parseGoMod(file: string, text: string): GoMod | { error: string } {
  const lines = text.split('\n');
  let module: string | undefined;
  const dependencies: Dependency[] = [];
  let block: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    // An indirect requirement is a dependency of a dependency: the service does not use it itself.
    const indirect = /\/\/\s*indirect\b/.test(raw);
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      if (block === 'require') {
        const m = /^(\S+)\s+(\S+)/.exec(line);
        if (!m) return { error: `go.mod line ${i + 1}: expected "module/path version" in the require block` };
        if (!indirect) dependencies.push({ name: m[1]!, evidence: { file, line: i + 1, text: raw.trim() } });
      }
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m || !DIRECTIVES.has(m[1]!))
      return { error: `go.mod line ${i + 1}: unknown directive "${line.slice(0, 40)}"` };
    const [, directive, rest = ''] = m;
    if (rest === '(') {
      block = directive;
      continue;
    }
    if (directive === 'module') module = rest.replace(/^"|"$/g, '');
    if (directive === 'require') {
      const r = /^(\S+)\s+(\S+)/.exec(rest);
      if (!r) return { error: `go.mod line ${i + 1}: expected "require module/path version"` };
      if (!indirect) dependencies.push({ name: r[1]!, evidence: { file, line: i + 1, text: raw.trim() } });
    }
  }
  if (block) return { error: `go.mod: the ${block} block is not closed` };
  if (!module) return { error: 'go.mod has no module directive' };
  return { module, dependencies };
}
