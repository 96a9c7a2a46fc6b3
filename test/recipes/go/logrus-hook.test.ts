/**
 * Issue 14 item 6: a Go service that logs with logrus gets a logrus hook on the logger it uses and its handlers' log
 * calls pass the request context — not a slog handler nothing writes through. Plan → apply (step 2's `go get` / `go mod
 * tidy` run for real) → go vet → run the service against the built-in receiver: the logrus line written while handling
 * a probe carries the trace id the probe sent.
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

const applyAll = (root: string, proposals: Proposal[]) => applyAllWithCommands(root, proposals, 180_000);

/** The demo inventory logging with logrus (imported as log), with a log line in its GET /health handler. */
async function logrusApp(): Promise<string> {
  const files = await inventoryFiles();
  let main = files['inventory/main.go']!;
  main = main.replace('\t"log"\n', '\tlog "github.com/sirupsen/logrus"\n');
  main = main.replace(
    '\tr.GET("/health", func(c *gin.Context) {\n',
    '\tr.GET("/health", func(c *gin.Context) {\n\t\tlog.Infof("health check from %s", c.ClientIP())\n',
  );
  expect(main).toContain('log "github.com/sirupsen/logrus"');
  expect(main).toContain('log.Infof("health check');
  files['inventory/main.go'] = main;
  files['inventory/go.mod'] = files['inventory/go.mod']!.replace(
    'require github.com/gin-gonic/gin v1.12.0\n',
    'require github.com/gin-gonic/gin v1.12.0\n\nrequire github.com/sirupsen/logrus v1.9.3\n',
  );
  const root = await makeSampleRepo(files);
  repos.push(root);
  return root;
}

describe('logrus correlation', () => {
  it('hooks the logger the app uses and passes the request context; the probe’s trace id is in its log line', {
    timeout: 400_000,
  }, async () => {
    const root = await logrusApp();
    const inputs = { backend: 'local', 'tail-sampling': 'none' };
    await applyAll(root, (await planIn(root, 'auto-instrumentation', inputs)).proposals);

    const step6 = (await planIn(root, 'correlation', inputs)).proposals.filter((p) => p.service === 'inventory');
    const ids = step6.map((p) => p.id);
    expect(ids).toContain('inventory:trace-logrus-hook');
    expect(ids).toContain('inventory:logrus-main');
    expect(ids.filter((id) => id.includes('trace-log-handler'))).toEqual([]); // no slog handler nothing writes through
    expect(step6.filter((p) => p.change.kind === 'note').map((p) => p.id)).toEqual([]);
    await applyAll(root, step6);
    const main = await readFile(path.join(root, 'inventory/main.go'), 'utf8');
    expect(main).toContain('\tlog.AddHook(traceLogrusHook{})\n');
    expect(main).toContain('log.WithContext(c.Request.Context()).Infof("health check from %s", c.ClientIP())');
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
      const lines = run
        .logLines('inventory')
        .map((l) => l.text)
        .filter((t) => t.includes('health check from'));
      expect(
        lines.some((t) => t.includes(`trace_id=${probe.traceId}`)),
        lines.join('\n'),
      ).toBe(true);
    } finally {
      await fixture.close();
    }
  });
});
