/**
 * Issue 14 item 6: `trace-guide skip --step N --reason "…"` — the guide's skip-with-reason for the non-interactive
 * commands, end to end through the built CLI: the skip is recorded in the session (reason, required checks left
 * unproven), `status` shows the step skipped, and a skip without a reason, of a skipped step or of a step that does not
 * exist is a usage error that changes nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const dirs: string[] = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeSampleRepo(dir);
});

const APP = {
  'package.json': JSON.stringify(
    { name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } },
    null,
    2,
  ),
  'server.js':
    "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n",
};

describe('trace-guide skip', { timeout: 60_000 }, () => {
  it('records the skip with its reason in the session, and status shows the step skipped', async () => {
    const dir = await makeSampleRepo(APP, { prefix: 'tg-skip-' });
    dirs.push(dir);
    const reason = 'sampling is set by the platform team';
    const skipped = await runCli(['skip', dir, '--step', '5', '--reason', reason, '--json']);
    expect(skipped.stderr).toBe('');
    expect(skipped.code).toBe(0);
    const out = JSON.parse(skipped.stdout) as {
      ok: boolean;
      step: number;
      id: string;
      skip: { reason: string; unverified: string[] };
      current: { number: number };
    };
    expect(out).toMatchObject({ ok: true, step: 5, id: 'sampling', skip: { reason } });
    expect(out.skip.unverified.length).toBeGreaterThan(0);

    const session = JSON.parse(await readFile(path.join(dir, '.trace-guide', 'session.json'), 'utf8')) as {
      steps: { id: string; outcome: string | null; skips: { reason?: string }[] }[];
    };
    const sampling = session.steps.find((s) => s.id === 'sampling')!;
    expect(sampling.outcome).toBe('skipped');
    expect(sampling.skips.map((s) => s.reason)).toEqual([reason]);

    const status = await runCli(['status', dir, '--json']);
    const summary = JSON.parse(status.stdout) as {
      session: { steps: { number: number; status: string; skips: { reason?: string }[] }[] };
    };
    expect(summary.session.steps.map((s) => s.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'skipped',
      'current',
    ]);
    expect(summary.session.steps[4]!.skips[0]!.reason).toBe(reason);

    const text = await runCli(['skip', dir, '--step', '6', '--reason', 'no logs to correlate']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Step 6 \(.+\) skipped: no logs to correlate/);

    const again = await runCli(['skip', dir, '--step', '5', '--reason', 'twice', '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/already skipped/) },
    });
  });

  it('refuses a skip without a reason or without a step, and writes no session', async () => {
    const dir = await makeSampleRepo(APP, { prefix: 'tg-skip-' });
    dirs.push(dir);
    const noReason = await runCli(['skip', dir, '--step', '3']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/skip needs --reason/);
    const blank = await runCli(['skip', dir, '--step', '3', '--reason', '  ']);
    expect(blank.code).toBe(2);
    const noStep = await runCli(['skip', dir, '--reason', 'x']);
    expect(noStep.code).toBe(2);
    expect(noStep.stderr).toMatch(/skip needs --step N/);
    await expect(readFile(path.join(dir, '.trace-guide', 'session.json'))).rejects.toThrow();
  });
});
