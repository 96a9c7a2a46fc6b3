/**
 * `score --save FILE` and `check --save FILE` on a small real Node service (the OpenTelemetry SDK really exporting to
 * the built-in receiver): the file holds what the run received and reads back through `score --from`; `diff` of the two
 * runs' files finds the same span trees.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureRepo } from '../checks/runtime/node-fixture.js';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { freePort } from '../../src/verify/runtime/ports.js';

const cleanup: (() => Promise<void>)[] = [];
beforeAll(() => assertBuilt());
afterAll(async () => {
  for (const c of cleanup) await c();
});

describe('score --save and check --save', () => {
  it('write the spans the run received as OTLP JSON lines that score --from and diff read', async () => {
    const root = await makeFixtureRepo([{ dir: 'shop', serviceName: 'shop', port: await freePort() }]);
    cleanup.push(() => removeSampleRepo(root));
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-save-e2e-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));

    const scoreFile = path.join(dir, 'score.jsonl');
    const scored = await runCli(['score', root, '--json', '--save', scoreFile], { timeoutMs: 90_000 });
    const live = JSON.parse(scored.stdout) as { spans: number; score: number };
    expect(live.spans).toBeGreaterThan(0);
    expect(scored.stderr).toMatch(
      new RegExp(`saved ${live.spans} span\\(s\\) in \\d+ trace\\(s\\) to .*score\\.jsonl`),
    );
    const fromFile = await runCli(['score', '--from', scoreFile, '--json']);
    expect((JSON.parse(fromFile.stdout) as { spans: number }).spans).toBe(live.spans);

    const checkFile = path.join(dir, 'check.jsonl');
    const checked = await runCli(['check', root, '--step', '2', '--json', '--save', checkFile], { timeoutMs: 90_000 });
    expect(checked.stderr).toMatch(/saved [1-9]\d* span\(s\) in \d+ trace\(s\) to .*check\.jsonl/);
    const diff = await runCli(['diff', scoreFile, checkFile, '--json']);
    const summary = (
      JSON.parse(diff.stdout) as {
        summary: { spansAdded: number; spansRemoved: number; renamed: number; parentChanged: number };
      }
    ).summary;
    expect(summary).toMatchObject({ spansAdded: 0, spansRemoved: 0, renamed: 0, parentChanged: 0 });
  }, 200_000);
});
