/** Reading a go.mod: the module path, the go directive and the required modules with their versions. */

export interface GoModFile {
  module: string;
  /** The `go` directive (e.g. "1.25.0"), when present. */
  goVersion?: string;
  /** Required module path → version, direct and indirect. */
  requires: Map<string, string>;
}

export function parseGoMod(text: string): GoModFile {
  const module = /^module\s+("?)([^\s"]+)\1\s*$/m.exec(text)?.[2] ?? '';
  const goVersion = /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text)?.[1];
  const requires = new Map<string, string>();
  const add = (line: string) => {
    const m = /^\s*("?)([^\s"]+)\1\s+(v[^\s]+)/.exec(line.replace(/\/\/.*$/, ''));
    if (m) requires.set(m[2]!, m[3]!);
  };
  for (const block of text.matchAll(/^require\s*\(\n([\s\S]*?)^\)/gm))
    for (const line of block[1]!.split('\n')) add(line);
  for (const single of text.matchAll(/^require\s+([^(\s][^\n]*)$/gm)) add(single[1]!);
  return { module, goVersion, requires };
}

/** Compares two Go versions like "1.25" / "1.25.0" numerically (-1, 0, 1). */
export function compareGoVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Compares two module versions like "v1.46.0" (pre-release suffixes sort before the release). */
export function compareModuleVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    return { nums: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
