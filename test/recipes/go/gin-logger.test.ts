/**
 * Issue 14 item 6: a Gin app whose log is Gin's own (gin.Default() installs gin.Logger()) gets its access log
 * correlated — a gin.LoggerWithFormatter that writes trace_id/span_id, placed after otelgin — instead of only a slog
 * handler the access log never goes through. Plan → apply (step 2's `go get` run for real) → go vet → run the service
 * against the built-in receiver: Gin's own log line of a probed request carries the trace id the probe sent.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src/types/proposal.js';
import { fixtureContext } from '../../checks/runtime/node-fixture.js';
import { planIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo } from '../../helpers/sample-repo.js';
import { applyAllWithCommands, goVet, inventoryFiles, useGoSampleRepos } from './go-helpers.js';

const repos = useGoSampleRepos();

const applyAll = (root: string, proposals: Proposal[]) => applyAllWithCommands(root, proposals, 120_000);

/** The demo inventory written the way a Gin app usually is: gin.Default(), so Gin's own logger writes the access log. */
async function ginDefaultApp(): Promise<string> {
  const files = await inventoryFiles();
  files['inventory/main.go'] = files['inventory/main.go']!.replace(
    '\tr := gin.New()\n\tr.Use(gin.Recovery(), requestLogger())\n',
    '\tr := gin.Default()\n',
  );
  expect(files['inventory/main.go']).toContain('r := gin.Default()');
  const root = await makeSampleRepo(files);
  repos.push(root);
  return root;
}

describe('Gin logger correlation', () => {
  it('formats Gin’s own access log with the request span’s ids; it compiles and the ids are the probe’s', {
    timeout: 300_000,
  }, async () => {
    const root = await ginDefaultApp();
    const inputs = { backend: 'local', 'tail-sampling': 'none' };
    await applyAll(root, (await planIn(root, 'auto-instrumentation', inputs)).proposals);

    const step6 = (await planIn(root, 'correlation', inputs)).proposals.filter((p) => p.service === 'inventory');
    const gin = step6.find((p) => p.id === 'inventory:gin-logger')!;
    expect(step6.map((p) => p.id)).toContain('inventory:gin-trace-logger');
    expect(gin.change).toMatchObject({ kind: 'edit', path: 'inventory/main.go' });
    await applyAll(root, step6);
    const main = await readFile(path.join(root, 'inventory/main.go'), 'utf8');
    expect(main).toContain(
      '\tr := gin.New()\n\tr.Use(otelgin.Middleware("inventory"))\n\tr.Use(gin.LoggerWithFormatter(ginTraceLogFormatter), gin.Recovery())\n',
    );
    expect(main).not.toContain('gin.Default()');
    goVet(path.join(root, 'inventory'));

    const fixture = await fixtureContext(root, inputs, {
      ports: 'free',
      startTimeoutMs: 120_000,
      spanTimeoutMs: 5_000,
      settleMs: 500,
    });
    try {
      const run = await fixture.ctx.runtime();
      expect(run.services.map((s) => [s.service.id, s.status, s.reason])).toEqual([
        ['inventory', 'running', undefined],
      ]);
      const probe = run.probes.find((p) => p.path === '/health' && p.status === 200)!;
      const ginLines = run
        .logLines('inventory')
        .map((l) => l.text)
        .filter((t) => t.includes('[GIN]') && t.includes('"/health"'));
      expect(
        ginLines.some((t) => t.includes(`trace_id=${probe.traceId}`)),
        ginLines.join('\n'),
      ).toBe(true);
    } finally {
      await fixture.close();
    }
  });
});
