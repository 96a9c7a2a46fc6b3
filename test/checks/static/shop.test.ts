/**
 * The bundled demo (Express → Flask → Gin) instrumented by the real recipes through all six steps: every static check
 * whose checklist item applies to the answers must pass. Local backend without tail sampling, then the Tempo stack
 * with tail sampling and Loki for the Tempo / Collector / Grafana items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesWhen } from '../../../src/skill/lookup.js';
import { staticChecks } from '../../../src/verify/checks/static/index.js';
import { testSkill } from '../../helpers/recipe-harness.js';
import { instrumentedShop, removeDir, runCheck, show } from './helpers.js';

const LOCAL = {
  backend: 'local',
  'tail-sampling': 'none',
  'sampling-percent': 25,
  'business-attributes': 'app.order.id,app.sku',
};
const TEMPO = {
  backend: 'tempo',
  'tail-sampling': 'errors-and-slow',
  'slow-threshold-ms': 1000,
  'logs-backend': 'loki',
};
const JAEGER_GRPC = { backend: 'jaeger', 'tail-sampling': 'none', 'otlp-protocol': 'grpc' };

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await removeDir(r);
});

for (const [label, inputs] of [
  ['local backend, head sampling only', LOCAL],
  ['Tempo + Collector tail sampling + Loki', TEMPO],
  ['Jaeger over gRPC', JAEGER_GRPC],
] as const) {
  describe(`examples/shop after steps 1-6 (${label})`, () => {
    let root: string;
    beforeAll(async () => {
      root = await instrumentedShop(inputs);
      roots.push(root);
    });

    it('passes every static check whose item applies', async () => {
      const skill = await testSkill();
      const applicable = staticChecks.filter((c) =>
        matchesWhen(skill, skill.checklist.find((i) => i.id === c.itemId)?.when, inputs),
      );
      expect(applicable.length).toBeGreaterThan(8);
      for (const check of applicable) {
        const r = await runCheck(check, root, inputs);
        expect(r.status, show(r)).toBe('pass');
        expect(r.evidence.length, show(r)).toBeGreaterThan(0);
      }
    });
  });
}

it('registers exactly the checklist items whose method is static', async () => {
  const skill = await testSkill();
  const staticItems = skill.checklist
    .filter((i) => i.method === 'static')
    .map((i) => i.id)
    .sort();
  const covered = staticChecks.map((c) => c.itemId).sort();
  expect(new Set(covered).size).toBe(covered.length);
  for (const id of covered) expect(staticItems).toContain(id);
  // pitfall-context-not-propagated is the one static item not built yet.
  expect(staticItems.filter((id) => !covered.includes(id))).toEqual(['pitfall-context-not-propagated']);
});
