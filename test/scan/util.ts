/** Small accessors for scan tests. */
import { afterEach, expect } from 'vitest';
import { makeSampleRepo, removeSampleRepo, type SampleFiles } from '../helpers/sample-repo.js';
import type { Finding, ScanResult, Service } from '../../src/types/scan.js';
import { ScanResultSchema } from '../../src/types/scan.js';

export function names(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.name);
}

export function finding(findings: readonly Finding[], name: string): Finding {
  const f = findings.find((x) => x.name === name);
  if (!f) throw new Error(`no finding "${name}" in [${names(findings).join(', ')}]`);
  return f;
}

/** The only service, or the one at `root`; also checks the result against the schema. */
export function service(result: ScanResult, root?: string): Service {
  expect(() => ScanResultSchema.parse(result)).not.toThrow();
  if (root === undefined) {
    expect(result.services.map((s) => s.root)).toHaveLength(1);
    return result.services[0]!;
  }
  const s = result.services.find((x) => x.root === root);
  if (!s) throw new Error(`no service at "${root}"; services: ${result.services.map((x) => x.root).join(', ')}`);
  return s;
}

/** Sample repos for one test file: `repo(files, git?)` makes one, and every one made is removed after each test. */
export function sampleRepos(): (files: SampleFiles, git?: boolean) => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map(removeSampleRepo));
  });
  return async (files, git = false) => {
    const dir = await makeSampleRepo(files, { git });
    dirs.push(dir);
    return dir;
  };
}
