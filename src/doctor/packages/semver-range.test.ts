import { describe, expect, it } from 'vitest';
import { baseOfRange, compareVersions, parseVersion, satisfies, versionText } from './semver-range.js';

const v = (text: string) => parseVersion(text)!;

describe('semver-range (npm semver rules)', () => {
  it('compares numeric pre-release identifiers as numbers: alpha.9 < alpha.10', () => {
    expect(compareVersions(v('1.0.0-alpha.9'), v('1.0.0-alpha.10'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0-alpha.10'), v('1.0.0-alpha.9'))).toBeGreaterThan(0);
    expect(compareVersions(v('1.0.0-alpha.10'), v('1.0.0'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0-alpha'), v('1.0.0-alpha.1'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0-beta'), v('1.0.0-alpha.10'))).toBeGreaterThan(0);
  });

  it('places a pre-release inside or outside a range by the same order', () => {
    expect(satisfies('1.0.0-alpha.10', '>=1.0.0-alpha.9')).toBe(true);
    expect(satisfies('1.0.0-alpha.9', '>=1.0.0-alpha.10')).toBe(false);
    expect(satisfies('1.0.0-alpha.10', '<1.0.0-alpha.9')).toBe(false);
  });

  it('reads versions and ranges as before', () => {
    expect(v('v1.2.3')).toEqual({ major: 1, minor: 2, patch: 3 });
    expect(versionText(v('0.223.1-rc.2'))).toBe('0.223.1-rc.2');
    expect(parseVersion('not a version')).toBeUndefined();
    expect(satisfies('1.9.0', '>=1.0.0 <1.10.0')).toBe(true);
    expect(satisfies('1.10.0', '>=1.0.0 <1.10.0')).toBe(false);
    expect(satisfies('0.2.5', '^0.2.3')).toBe(true);
    expect(satisfies('0.3.0', '^0.2.3')).toBe(false);
    expect(satisfies('2.1.0', '1.x || 2.x')).toBe(true);
    expect(satisfies('1.0.0', 'latest')).toBeUndefined();
    expect(satisfies('1.0.0', 'workspace:^1.0.0')).toBeUndefined();
    expect(baseOfRange('^0.223.1')).toEqual({ major: 0, minor: 223, patch: 1 });
    expect(baseOfRange('*')).toBeUndefined();
    expect(baseOfRange('latest')).toBeUndefined();
  });
});
