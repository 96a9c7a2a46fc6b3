/**
 * A service of a language trace-guide lists but has no recipes for (here Rust, beside a Node service) gets an honest
 * note from the planner — no recipes yet, and the language's own OpenTelemetry option — and never a proposal.
 */
import { describe, expect, it } from 'vitest';
import type { StepId } from '../../src/skill/schema.js';
import { planIn } from '../helpers/recipe-harness.js';
import { sampleRepos } from '../scan/util.js';

const repo = sampleRepos();

const FILES = {
  'web/package.json': '{"name":"web","dependencies":{"express":"^4.19.2"},"scripts":{"start":"node server.js"}}',
  'web/server.js':
    "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n",
  'ledger/Cargo.toml': '[package]\nname = "ledger"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n',
  'ledger/src/main.rs': 'fn main() {}\n',
};

const SERVICE_STEPS: StepId[] = ['auto-instrumentation', 'manual-spans', 'propagation', 'sampling', 'correlation'];

describe('plan: a listed-only service', () => {
  it('is uncovered with what the user can do, at every service step, and no proposal touches it', async () => {
    const root = await repo(FILES);
    for (const step of SERVICE_STEPS) {
      const plan = await planIn(root, step, {}, { tools: ['node', 'npm'] });
      expect(
        plan.proposals.filter((p) => p.service === 'ledger' || JSON.stringify(p.change).includes('ledger/')),
        step,
      ).toEqual([]);
      const ledger = plan.uncovered.find((u) => u.service === 'ledger');
      expect(ledger, step).toMatchObject({ language: 'rust' });
      expect(ledger?.instead, step).toMatch(
        /^trace-guide has no recipes for Rust yet \(found by ledger\/Cargo\.toml:2\)\. What you can do: OpenTelemetry Rust SDK/,
      );
      expect(ledger?.instead).toContain('https://opentelemetry.io/docs/languages/rust/');
      // The Node service is planned as before, and has no such note.
      expect(plan.uncovered.find((u) => u.service === 'web')).toBeUndefined();
    }
    const auto = await planIn(root, 'auto-instrumentation', {}, { tools: ['node', 'npm'] });
    expect(auto.proposals.some((p) => p.service === 'web')).toBe(true);
  });
});
