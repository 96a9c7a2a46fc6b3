/**
 * `trace-guide doctor` end to end through the built CLI: a real Node service without a propagator (the project's
 * devDependency SDK), found by `check` when its runtime check fails, diagnosed, fixed with `--yes`, confirmed healthy by a second run, and undone to the exact bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/verify/runtime/ports.js';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { makeDoctorRepo } from '../doctor/doctor-fixture.js';

let root: string;
beforeAll(async () => {
  assertBuilt();
  root = await makeDoctorRepo({ port: await freePort(), serviceName: 'svc', propagator: false });
});
afterAll(async () => {
  if (root) await removeSampleRepo(root);
});

describe('trace-guide doctor (CLI)', { timeout: 120_000 }, () => {
  it('check runs the doctor on the same services when a runtime check fails', async () => {
    const checked = await runCli(['check', root, '--step', '4', '--json'], { timeoutMs: 60_000 });
    expect(checked.code, checked.stderr).toBe(1);
    expect(checked.stderr).toContain('a runtime check failed: running the doctor on the same services');
    const out = JSON.parse(checked.stdout) as {
      steps: { results: { itemId: string; status: string }[] }[];
      diagnosis?: { findings: { cause: string }[] };
    };
    expect(out.steps[0]!.results).toContainEqual(
      expect.objectContaining({ itemId: 'context-propagates-over-http', status: 'fail' }),
    );
    expect(out.diagnosis?.findings.map((f) => f.cause)).toEqual(['no-propagator']);
  });

  it('names the cause, applies the fix with --yes, finds nothing afterwards, and undo restores the file', async () => {
    const original = await readFile(path.join(root, 'svc/server.js'), 'utf8');

    const first = await runCli(['doctor', root, '--json'], { timeoutMs: 60_000 });
    expect(first.code, first.stderr).toBe(1);
    const diagnosis = JSON.parse(first.stdout) as {
      ok: boolean;
      findings: { cause: string; proposals: { id: string }[]; previews: { text: string }[] }[];
    };
    expect(diagnosis.ok).toBe(false);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['no-propagator']);
    const fixId = diagnosis.findings[0]!.proposals[0]!.id;
    expect(diagnosis.findings[0]!.previews[0]!.text).toContain('W3CTraceContextPropagator');

    const unknown = await runCli(['doctor', root, '--yes', '--only', 'no-such-fix'], { timeoutMs: 60_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`its fixes: ${fixId}`);
    expect(await readFile(path.join(root, 'svc/server.js'), 'utf8')).toBe(original);

    const fixed = await runCli(['doctor', root, '--yes', '--only', fixId], { timeoutMs: 60_000 });
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toContain(`✓ ${fixId}`);
    expect(fixed.stdout).toContain('1 file(s) written: svc/server.js');
    expect(await readFile(path.join(root, 'svc/server.js'), 'utf8')).not.toBe(original);

    const again = await runCli(['doctor', root], { timeoutMs: 60_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/No cause found: \d+ spans arrived/);

    const undo = await runCli(['undo', root, '--json'], { timeoutMs: 30_000 });
    expect(undo.code, undo.stderr).toBe(0);
    expect(await readFile(path.join(root, 'svc/server.js'), 'utf8')).toBe(original);
  });
});
