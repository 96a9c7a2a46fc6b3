/**
 * npm semver versions and ranges, read with the `semver` package (npm's own): parse and compare versions, the lowest
 * version a declared range names, and whether a version is in a range. Pre-releases compare by semver's rules
 * (`1.0.0-alpha.9` < `1.0.0-alpha.10`), and a range admits a pre-release that lies inside its bounds (npm's
 * `includePrerelease`), as a peer-dependency check needs.
 */
import semver from 'semver';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre?: string;
}

const RANGE_OPTIONS: semver.RangeOptions = { includePrerelease: true };

function fromSemver(v: semver.SemVer): Version {
  const pre = v.prerelease.join('.');
  return { major: v.major, minor: v.minor, patch: v.patch, ...(pre ? { pre } : {}) };
}

/** A version as written ("1.2.3", "v1.2.3", "=1.2.3-beta.1"), or the first version at the start of a longer text. */
export function parseVersion(text: string): Version | undefined {
  const exact = semver.parse(text.trim(), { loose: true });
  if (exact) return fromSemver(exact);
  const lead = /^\s*[v=]*(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)/.exec(text);
  const parsed = lead ? semver.parse(lead[1]!) : null;
  return parsed ? fromSemver(parsed) : undefined;
}

export function versionText(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`;
}

export function compareVersions(a: Version, b: Version): number {
  return semver.compare(versionText(a), versionText(b));
}

/** The lowest version a declared npm range allows ("^0.223.1" → 0.223.1), when it has a lower bound. */
export function baseOfRange(range: string): Version | undefined {
  if (semver.validRange(range, RANGE_OPTIONS) === null) return undefined;
  const min = semver.minVersion(range, RANGE_OPTIONS);
  return min && semver.neq(min, '0.0.0') ? fromSemver(min) : undefined;
}

/** Whether `version` is in the npm range; undefined when the range is not one this reads (tags, urls, workspace:). */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v || semver.validRange(range, RANGE_OPTIONS) === null) return undefined;
  return semver.satisfies(versionText(v), range, RANGE_OPTIONS);
}
