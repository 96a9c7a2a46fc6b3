/**
 * A small reader of npm semver versions and ranges: parse and compare versions, the lowest version a declared range names,
 * and whether a version is in a range (^ ~ >= <= > < =, x-ranges, `||`).
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre?: string;
}

export function parseVersion(text: string): Version | undefined {
  const m = /^\s*[v=]*(\d+)\.(\d+)\.(\d+)(?:-([\w.]+))?/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] ? { pre: m[4] } : {}) } : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || (a.pre === b.pre ? 0 : a.pre === undefined ? 1 : b.pre === undefined ? -1 : a.pre < b.pre ? -1 : 1);
}

/** The lowest version a declared npm range allows ("^0.223.1" → 0.223.1), when it names one. */
export function baseOfRange(range: string): Version | undefined {
  const m = /(\d+\.\d+\.\d+(?:-[\w.]+)?)/.exec(range);
  return m && !/[<*x]/.test(range.slice(0, m.index)) ? parseVersion(m[1]!) : undefined;
}

function comparatorHolds(v: Version, comp: string): boolean | undefined {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([\w.]+))?$/.exec(comp);
  if (!m) return undefined;
  const op = m[1] ?? '';
  const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  if (wild(m[2])) return true;
  const major = Number(m[2]);
  const minor = wild(m[3]) ? undefined : Number(m[3]);
  const patch = wild(m[4]) ? undefined : Number(m[4]);
  const lo: Version = { major, minor: minor ?? 0, patch: patch ?? 0, ...(m[5] ? { pre: m[5] } : {}) };
  const c = compareVersions(v, lo);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '^': {
      if (c < 0) return false;
      if (major > 0 || minor === undefined) return v.major === major;
      if (minor > 0 || patch === undefined) return v.major === 0 && v.minor === minor;
      return v.major === 0 && v.minor === 0 && v.patch === patch;
    }
    case '~':
      return c >= 0 && v.major === major && (minor === undefined || v.minor === minor);
    default:
      if (minor === undefined) return v.major === major;
      if (patch === undefined) return v.major === major && v.minor === minor;
      return c === 0;
  }
}

/** Whether `version` is in the npm range; undefined when the range is not one this reads (tags, urls, workspace:). */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  let any = false;
  for (const alternative of range.split('||')) {
    const comps = alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (comps.length === 0) return true;
    let all = true;
    for (const comp of comps) {
      const holds = comparatorHolds(v, comp);
      if (holds === undefined) return undefined;
      if (!holds) all = false;
    }
    if (all) any = true;
  }
  return any;
}

export function versionText(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`;
}
