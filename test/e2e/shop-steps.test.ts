/**
 * The bundled demo (Express → Flask → Gin) taken through all six steps with the JSON commands, as CI or an agent would:
 * plan, apply --yes (the install commands really run: npm, pip into a throwaway virtual environment, go get), then the
 * result must parse / compile / vet, re-planning must propose no second change, and undo must restore every byte.
 * Then `check` proves every step with real spans arriving at the built-in receiver, and `doctor` finds no cause.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { copyDemo, removeDemo, type DemoCopy } from '../helpers/demo-copy.js';
import { snapshot } from '../helpers/recipe-harness.js';

let demo: DemoCopy | undefined;
let root: string;
let venv: string;
let env: NodeJS.ProcessEnv;

function requireTool(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${tool} is needed by this test (it installs the real OpenTelemetry SDK) and is not installed here`,
    );
  }
}

beforeAll(async () => {
  assertBuilt();
  requireTool('go', ['version']);
  requireTool('python3', ['--version']);
  // A git copy of the demo; pip must install into a throwaway environment, never into the machine's Python.
  demo = await copyDemo('tg-shop');
  ({ root, venv, env } = demo);
}, 120_000);

afterAll(async () => {
  await removeDemo(demo);
});

const STEPS = [1, 2, 3, 4, 5, 6];
const INPUTS = [
  '--set',
  'backend=local',
  '--set',
  'tail-sampling=none',
  '--set',
  'sampling-percent=25',
  '--set',
  'business-attributes=app.order.id,app.sku',
];

describe('the demo shop through all six steps', () => {
  it('applies every step, compiles, proposes nothing twice, and undoes to the exact bytes', async () => {
    const before = await snapshot(root);

    const first = await runCli(['plan', root, '--step', '1', ...INPUTS, '--json'], { env });
    expect(first.code, first.stderr).toBe(0);

    for (const step of STEPS) {
      const applied = await runCli(['apply', root, '--step', String(step), '--yes', '--commit', '--json'], {
        env,
        timeoutMs: 300_000,
      });
      const result = JSON.parse(applied.stdout) as {
        ok: boolean;
        results: { proposalId: string; ok: boolean; message?: string }[];
      };
      expect(
        result.results.filter((r) => !r.ok),
        `step ${step}: ${applied.stderr}`,
      ).toEqual([]);
      expect(applied.code).toBe(0);
    }

    // The instrumented services still parse, compile and vet.
    for (const file of ['gateway/server.js', 'gateway/tracing.cjs'])
      execFileSync(process.execPath, ['--check', path.join(root, file)]);
    const py = execFileSync('git', ['ls-files', '--others', '--cached', '--exclude-standard', 'orders'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.py'));
    execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'py_compile', ...py.map((f) => path.join(root, f))]);
    execFileSync(path.join(venv, 'bin', 'python'), [
      '-c',
      'import opentelemetry.sdk.trace, opentelemetry.instrumentation.flask',
    ]);
    execFileSync('go', ['vet', './...'], {
      cwd: path.join(root, 'inventory'),
      env: { ...process.env, GOFLAGS: '-mod=readonly' },
    });
    execFileSync(process.execPath, ['-e', "require.resolve('@opentelemetry/sdk-node')"], {
      cwd: path.join(root, 'gateway'),
    });

    // One commit per step that wrote files, each with a clear message.
    const log = execFileSync('git', ['log', '--format=%s'], { cwd: root, encoding: 'utf8' });
    expect(log).toMatch(/trace-guide step 2: Instrument the services automatically/);

    // Every step is proven by its checks: the services run against the built-in receiver and real spans arrive.
    const checked = await runCli(['check', root, '--json'], { env, timeoutMs: 240_000 });
    const report = JSON.parse(checked.stdout) as {
      steps: { number: number; proven: boolean; results: { itemId: string; status: string; summary: string }[] }[];
    };
    for (const step of report.steps) {
      const failing = step.results.filter((r) => r.status !== 'pass' && r.itemId !== 'sampling-reduces-volume');
      expect(failing, `step ${step.number}: ${checked.stderr}`).toEqual([]);
    }
    // Stopped with SIGTERM right after a request (with a batch delay far longer than the test), each service — Node,
    // Python and Go — delivered that request's spans: the set-ups flush on shutdown.
    const flush = report.steps.flatMap((s) => s.results).find((r) => r.itemId === 'spans-flushed-on-shutdown')!;
    expect(flush.summary).toMatch(
      /every started service \((?=[^)]*gateway)(?=[^)]*orders)(?=[^)]*inventory)[^)]*\) delivered a request's spans when stopped with SIGTERM/,
    );
    // 25 % head sampling, measured over a burst: the kept share must be near 25 % (±3.3 standard deviations at 200).
    const sampling = report.steps.flatMap((s) => s.results).find((r) => r.itemId === 'sampling-reduces-volume')!;
    const kept = /kept (\d+) of (\d+)/.exec(sampling.summary);
    expect(kept, sampling.summary).not.toBeNull();
    const share = Number(kept![1]) / Number(kept![2]);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.35);

    // The doctor finds no cause in the instrumented demo, with spans having arrived from it.
    const doctor = await runCli(['doctor', root, '--json'], { env, timeoutMs: 240_000 });
    const diagnosis = JSON.parse(doctor.stdout) as {
      ok: boolean;
      spansArrived: number;
      findings: { cause: string; summary: string }[];
    };
    expect(
      diagnosis.findings.map((f) => `${f.cause}: ${f.summary}`),
      doctor.stderr,
    ).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
    expect(doctor.code).toBe(0);

    // Re-planning proposes no second change (advice notes may repeat).
    for (const step of STEPS) {
      const again = await runCli(['plan', root, '--step', String(step), '--json'], { env });
      const plan = JSON.parse(again.stdout) as { proposals: { id: string; change: { kind: string } }[] };
      expect(
        plan.proposals.filter((p) => p.change.kind !== 'note').map((p) => p.id),
        `step ${step}`,
      ).toEqual([]);
    }

    const undo = await runCli(['undo', root, '--json'], { env });
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(await snapshot(root)).toEqual(before);
  }, 900_000);
});
