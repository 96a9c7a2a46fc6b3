/** Small accessors for scan tests. */
import { expect } from 'vitest';
import type { Finding, ScanResult, Service } from '../../src/repo/scan-schema.js';
import { ScanResultSchema } from '../../src/repo/scan-schema.js';

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
