/**
 * `trace-guide score --json` on small real Node services (the OpenTelemetry SDK from this project's devDependencies,
 * spans really exported to the built-in receiver by the runtime run `check` uses): the rules read what arrived, a
 * failed rule names its evidence and carries its fix, the score is the spec's formula over the evaluated rules, and
 * --min is the CI gate.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPACT_WEIGHTS, type RuleImpact } from '../../src/score/types.js';
import { makeFixtureRepo } from '../checks/runtime/node-fixture.js';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { freePort } from '../../src/verify/runtime/ports.js';

interface ScoreJson {
  ok: boolean;
  score: number;
  band: string;
  rules: {
    id: string;
    impact: RuleImpact;
    status: string;
    summary: string;
    evidence: { service?: string; attribute?: string; spanIds?: string[]; count?: number }[];
  }[];
  notEvaluatedLocally: { id: string; reason: string }[];
  fixes: { ruleId: string; proposals: { id: string; change: { kind: string; path?: string } }[] }[];
  applied?: { results: { proposalId: string; status: string }[]; written: { path: string }[] };
}

const roots: string[] = [];

beforeAll(() => assertBuilt());
afterAll(async () => {
  for (const root of roots) await removeSampleRepo(root);
});

async function score(
  service: { serviceName?: string },
  args: string[],
): Promise<{ code: number | null; json: ScoreJson; root: string }> {
  const root = await makeFixtureRepo([{ dir: 'shop', port: await freePort(), ...service }]);
  roots.push(root);
  const result = await runCli(['score', root, '--json', ...args], { timeoutMs: 90_000 });
  if (!result.stdout.trim().startsWith('{'))
    throw new Error(`score printed no JSON (exit ${result.code}): ${result.stderr}`);
  return { code: result.code, json: JSON.parse(result.stdout) as ScoreJson, root };
}

function status(json: ScoreJson, id: string): string | undefined {
  return json.rules.find((r) => r.id === id)?.status;
}

/** The spec's formula, recomputed from the rules the command reported. */
function formula(json: ScoreJson): number {
  const evaluated = json.rules.filter((r) => r.status !== 'not-evaluated');
  const passed = evaluated.filter((r) => r.status === 'pass').reduce((sum, r) => sum + IMPACT_WEIGHTS[r.impact], 0);
  const total = evaluated.reduce((sum, r) => sum + IMPACT_WEIGHTS[r.impact], 0);
  return Math.round((passed / total) * 10_000) / 100;
}

describe('trace-guide score --json', () => {
  it('fails RES-005 on a service with no service.name, with the spans as evidence and a note (its resource is built by hand, so no env default would name it: --yes writes nothing); passes --min 50', async () => {
    const { code, json, root } = await score({}, ['--min', '50', '--yes']);
    const res005 = json.rules.find((r) => r.id === 'RES-005');
    expect(res005?.status).toBe('fail');
    expect(res005?.evidence[0]).toMatchObject({ attribute: 'service.name' });
    expect(res005?.evidence[0]?.spanIds?.length).toBeGreaterThan(0);
    const fix = json.fixes.find((f) => f.ruleId === 'RES-005')?.proposals[0]?.change as
      | { kind: string; text?: string }
      | undefined;
    expect(fix?.kind).toBe('note');
    expect(fix?.text).toContain('resource built by hand in shop/server.js');
    // The probes' traceparent parents are never exported: the entry spans under them are roots, not orphans.
    expect(status(json, 'SPA-002')).toBe('pass');
    expect(status(json, 'SPA-004')).toBe('pass');
    // No log record can reach the receiver: not evaluated, never counted as passed.
    expect(status(json, 'LOG-002')).toBe('not-evaluated');
    expect(json.notEvaluatedLocally.map((r) => r.id)).toEqual(
      expect.arrayContaining(['LOG-001', 'MET-003', 'MET-004']),
    );
    expect(json.score).toBe(formula(json));
    expect(json.score).toBeGreaterThanOrEqual(50);
    expect(json.score).toBeLessThan(75);
    expect(code).toBe(0);
    // Every fix is a note: --yes writes nothing (a default OTEL_SERVICE_NAME would not change this resource).
    expect(json.applied).toBeUndefined();
    expect(await readFile(path.join(root, 'shop/server.js'), 'utf8')).not.toContain('OTEL_SERVICE_NAME');
  }, 120_000);

  it('passes RES-005 on a named service, reads its SDK range, and exits 1 below --min 90', async () => {
    const { code, json } = await score({ serviceName: 'shop' }, ['--min', '90']);
    expect(status(json, 'RES-005')).toBe('pass');
    // @opentelemetry/core declares its Node range in package.json; the node that runs the service is inside it.
    expect(status(json, 'SDK-001')).toBe('pass');
    expect(status(json, 'RES-001')).toBe('fail');
    expect(json.score).toBe(formula(json));
    expect(json.score).toBeLessThan(90);
    expect(json.ok).toBe(false);
    expect(code).toBe(1);
  }, 120_000);
});
