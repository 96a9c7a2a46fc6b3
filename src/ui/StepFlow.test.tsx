import React from 'react';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { check, emptyScan, newSession, proposal } from '../../test/helpers/fixtures.js';
import { reduce } from '../session/machine.js';
import type { Session } from '../session/schema.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import type { ScanResult } from '../types/scan.js';
import type { CheckProgress } from '../verify/run-checks.js';
import type { GuideActions } from './actions.js';
import { App } from './App.js';
import { fakeActions } from '../../test/helpers/fake-actions.js';
import { diffLine, wrapLine } from './text.js';
import { ENTER, ESC, DOWN, SPACE, frameWith, pressUntil, press, after } from '../../test/helpers/ink.js';

/*
 * The step flow of the guide with a fake core: each GuideActions method returns a session scripted with the real state
 * machine (reduce), so what the screen shows is what the core would hand back. No file is read, no process runs.
 */

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});

const scan: ScanResult = {
  ...emptyScan('/repo'),
  services: [
    {
      id: 'api',
      name: 'api',
      root: 'api',
      language: 'node',
      manifest: 'api/package.json',
      frameworks: [{ name: 'express', evidence: { file: 'api/server.js', line: 1 } }],
      entrypoint: { file: 'api/server.js', evidence: { file: 'api/package.json', line: 4 } },
      httpClients: [],
      queueClients: [],
      dbClients: [],
      logging: [],
      tracing: [],
    },
  ],
};

const base = (): Session => after({ ...newSession(), scan }, { type: 'set-inputs', inputs: { backend: 'local' } });
const proposals = () => [proposal('receiver-note'), { ...proposal('compose'), title: 'Write docker-compose.yml' }];
const inReview = () => after(base(), { type: 'proposals-ready', proposals: proposals() });
const inVerify = () =>
  after(
    inReview(),
    { type: 'decide-all', decision: 'accepted' },
    { type: 'next' },
    {
      type: 'applied',
      results: [
        { proposalId: 'receiver-note', ok: true },
        { proposalId: 'compose', ok: true, message: 'created compose.txt' },
      ],
      writes: [],
    },
  );

/** The core's preview of a resumed review: the diffs the edit engine renders for the stored proposals (scripted here). */
const readPreviews = (session: Session) =>
  vi.fn<GuideActions['preview']>(async (index) =>
    session.steps[index]!.proposals.map((p) => ({
      proposal: p,
      text:
        p.change.kind === 'create'
          ? `+++ ${p.change.path} (new file)\n${p.change.content
              .replace(/\n$/, '')
              .split('\n')
              .map((l) => `+${l}`)
              .join('\n')}`
          : p.title,
    })),
  );

function guide(session: Session, actions: GuideActions) {
  return render(
    <App
      repoRoot="/repo"
      skill={skill}
      scan={scan}
      existing={{ kind: 'found', session, drift: [] }}
      mode="resume"
      actions={actions}
      color={false}
    />,
  );
}

describe('the step flow', () => {
  it('asks the step inputs with the defaults preselected, then plans with the answers', async () => {
    const fresh = { ...newSession(), scan };
    const plan = vi.fn<GuideActions['plan']>(async (_index, inputs) => ({
      session: after(fresh, { type: 'set-inputs', inputs }, { type: 'proposals-ready', proposals: proposals() }),
      previews: proposals().map((p) => ({
        proposal: p,
        text: `--- /dev/null\n+++ ${p.id}.txt\n@@ -0,0 +1 @@\n+hello\n`,
      })),
      uncovered: [],
    }));
    const { lastFrame, stdin } = guide(fresh, fakeActions({ plan }));
    const first = await frameWith(lastFrame, 'Where should traces go?');
    expect(first).toContain('Jaeger v2 (one container, UI on 16686) (default)');
    await pressUntil(stdin, lastFrame, DOWN, /❯ Grafana Tempo/);
    await press(stdin, DOWN, DOWN, DOWN);
    await frameWith(lastFrame, "❯ trace-guide's built-in receiver");
    await pressUntil(stdin, lastFrame, ENTER, 'Which OTLP protocol');
    expect(lastFrame()).toContain('backend = local');
    await pressUntil(stdin, lastFrame, ENTER, 'Plan this step');
    expect(lastFrame()).toContain('otlp-protocol = http-protobuf');
    const review = await pressUntil(stdin, lastFrame, ENTER, '2 proposal(s), 2 accepted');
    expect(plan).toHaveBeenCalledWith(0, { backend: 'local', 'otlp-protocol': 'http-protobuf' });
    expect(review).toContain('(review)');
    expect(review).toContain('[x] Write docker-compose.yml');
  });

  it('toggles proposals with space, shows a diff on enter and closes it with esc, then applies the accepted ones', async () => {
    const apply = vi.fn<GuideActions['apply']>(async () => {
      throw new Error('EACCES: permission denied, open compose.txt');
    });
    const preview = readPreviews(inReview());
    const { lastFrame, stdin } = guide(inReview(), fakeActions({ apply, preview }));
    await frameWith(lastFrame, '2 proposal(s), 2 accepted');
    // A resumed review shows the diffs the core's edit engine made, not ones reconstructed by the screen.
    expect(preview).toHaveBeenCalledWith(0);
    await press(stdin, SPACE);
    const toggled = await frameWith(lastFrame, '1 accepted');
    expect(toggled).toContain('[ ] proposal receiver-note');
    await press(stdin, DOWN, ENTER);
    const diff = await frameWith(lastFrame, 'esc closes');
    expect(diff).toContain('+++ compose.txt (new file)');
    expect(diff).toContain('+hello');
    await press(stdin, ESC);
    await frameWith(lastFrame, '[x] Write docker-compose.yml');
    await press(stdin, 'a');
    // A failure of the core is shown in the panel; the guide keeps running.
    expect(await frameWith(lastFrame, 'permission denied')).toContain('(review)');
    expect(apply).toHaveBeenCalledWith(0, ['compose'], expect.any(Function));
  });

  it('shows what is being applied, then the results with ✓/✗ and the message', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const apply = vi.fn<GuideActions['apply']>(async (_index, _only, onProgress) => {
      const install = {
        ...proposal('install'),
        title: 'Install the SDK',
        change: { kind: 'command' as const, command: 'npm install @opentelemetry/sdk-node', cwd: '.', touches: [] },
      };
      onProgress?.({ type: 'start', proposal: install });
      onProgress?.({ type: 'output', proposal: install, text: 'added 42 packages\n' });
      await gate;
      const session = after(
        inReview(),
        { type: 'decide-all', decision: 'accepted' },
        { type: 'next' },
        {
          type: 'applied',
          results: [
            { proposalId: 'receiver-note', ok: true },
            { proposalId: 'compose', ok: false, message: 'compose.txt already exists' },
          ],
          writes: [],
        },
      );
      return { session, results: session.steps[0]!.applied };
    });
    const { lastFrame, stdin } = guide(inReview(), fakeActions({ apply, preview: readPreviews(inReview()) }));
    await frameWith(lastFrame, '2 accepted');
    await press(stdin, 'a');
    const running = await frameWith(lastFrame, '$ npm install @opentelemetry/sdk-node');
    expect(running).toContain('Applying 2 proposal(s)');
    expect(running).toContain('added 42 packages');
    finish();
    const results = await frameWith(lastFrame, '✗ Write docker-compose.yml — compose.txt already exists');
    expect(results).toContain('✓ proposal receiver-note');
    expect(results).toContain('(apply)');
    expect(results).toContain('a apply the accepted proposals');
  });

  it('runs the checks live, then offers the next step once the step is proven', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const accepts = skill.checklist.find((item) => item.id === 'backend-accepts-otlp')!;
    const check = vi.fn<GuideActions['check']>(async (_index, onProgress) => {
      onProgress?.({ type: 'start', item: accepts } satisfies CheckProgress);
      await gate;
      const result = {
        ...checkResult('backend-accepts-otlp', 'pass'),
        evidence: [{ note: 'the probe span arrived at 127.0.0.1:4318' }],
      };
      onProgress?.({ type: 'done', item: accepts, result });
      const session = after(inVerify(), { type: 'checked', results: [result], required: ['backend-accepts-otlp'] });
      return { session, results: [result], required: ['backend-accepts-otlp'], proven: true };
    });
    const next = vi.fn<GuideActions['next']>(async () =>
      after(
        inVerify(),
        { type: 'checked', results: [checkResult('backend-accepts-otlp', 'pass')], required: ['backend-accepts-otlp'] },
        { type: 'next' },
      ),
    );
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ check, next }));
    const verify = await frameWith(lastFrame, 'c run the checks');
    expect(verify).toContain('✓ Write docker-compose.yml — created compose.txt');
    await press(stdin, 'c');
    const live = await frameWith(lastFrame, `${accepts.title} …`);
    expect(live).toContain('Checking step 1');
    finish();
    const proven = await frameWith(lastFrame, '✓ step proven');
    expect(proven).toContain(`✓ ${accepts.title}: backend-accepts-otlp pass`);
    expect(proven).toContain('the probe span arrived at 127.0.0.1:4318');
    expect(proven).toContain('n next step');
    expect(proven).toMatch(/✓ 1\. .*done/);
    await press(stdin, 'n');
    const second = await frameWith(lastFrame, 'Which services should be instrumented?');
    expect(second).toMatch(/▸ 2\./);
    expect(second).toContain('api (api · node)');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('shows failing checks with their fix, and skips only after confirmation, with the reason', async () => {
    const failed = { ...checkResult('backend-accepts-otlp', 'fail'), fix: 'free port 4318 and run the checks again' };
    const failing = after(inVerify(), { type: 'checked', results: [failed], required: ['backend-accepts-otlp'] });
    const skip = vi.fn<GuideActions['skip']>(async (_index, reason) =>
      after(failing, {
        type: 'skip',
        confirmed: true,
        required: ['backend-accepts-otlp'],
        ...(reason ? { reason } : {}),
      }),
    );
    const { lastFrame, stdin } = guide(failing, fakeActions({ skip }));
    const frame = await frameWith(lastFrame, 'r retry the checks');
    expect(frame).toContain('✗ Backend accepts OTLP');
    expect(frame).toContain('fix: free port 4318 and run the checks again');
    expect(frame).toContain('not proven yet: backend-accepts-otlp');
    await press(stdin, 's');
    const ask = await frameWith(lastFrame, 'Skip step 1');
    expect(ask).toContain('recorded as such: backend-accepts-otlp');
    // Esc cancels: nothing is skipped.
    await press(stdin, ESC);
    await frameWith(lastFrame, 'r retry the checks');
    expect(skip).not.toHaveBeenCalled();
    await press(stdin, 's');
    await frameWith(lastFrame, 'Reason (optional)');
    await pressUntil(stdin, lastFrame, 'no docker here', 'no docker here');
    await pressUntil(stdin, lastFrame, ENTER, /↷ 1\./);
    const skipped = await frameWith(lastFrame, /↷ 1\./);
    expect(skip).toHaveBeenCalledWith(0, 'no docker here');
    expect(skipped).toMatch(/▸ 2\./);
  });

  it('undoes the step only after y', async () => {
    const withWrite = {
      ...inVerify(),
      writes: [
        {
          path: 'compose.txt',
          step: 'backend' as const,
          proposalId: 'compose',
          before: null,
          after: { sha256: 'a'.repeat(64) },
          at: '2026-11-25T12:05:00.000Z',
        },
      ],
    };
    const undo = vi.fn<GuideActions['undo']>(async () => ({
      session: after(withWrite, { type: 'undone', writes: withWrite.writes }),
      undone: 1,
      failed: [],
    }));
    const { lastFrame, stdin } = guide(withWrite, fakeActions({ undo }));
    await frameWith(lastFrame, 'u undo');
    await press(stdin, 'u');
    await frameWith(lastFrame, 'Undo the 1 file change(s) step 1 made?');
    await press(stdin, 'n');
    await frameWith(lastFrame, 'c run the checks');
    expect(undo).not.toHaveBeenCalled();
    await press(stdin, 'u', 'y');
    const done = await frameWith(lastFrame, '1 file change(s) undone.');
    expect(done).toContain('(plan)');
  });

  it('opens the help overlay with ? and closes it with esc', async () => {
    const { lastFrame, stdin } = guide(inVerify(), fakeActions());
    await frameWith(lastFrame, 'c run the checks');
    await press(stdin, '?');
    const help = await frameWith(lastFrame, 'Keys');
    expect(help).toContain('apply accepted proposals');
    expect(help).toContain('skip the step (confirm)');
    expect(help).toContain('quit: the session is saved');
    expect(help).toContain('Trace view (t');
    expect(help).toContain('PgUp/PgDn page');
    await press(stdin, ESC);
    await frameWith(lastFrame, 'c run the checks');
    expect(lastFrame()).not.toContain('Keys');
  });

  it('fits a 24-line terminal: the frame never grows past it', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...proposal(`p${i}`), title: `Proposal number ${i}` }));
    const session = after(base(), { type: 'proposals-ready', proposals: many });
    const { lastFrame } = guide(session, fakeActions({ preview: readPreviews(session) }));
    const frame = await frameWith(lastFrame, '12 proposal(s)');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    expect(frame).toContain('1-');
  });
});

describe('the doctor in the guide', () => {
  it("shows the doctor's findings when a runtime check fails, and f applies its fixes", async () => {
    const failed = { ...checkResult('context-propagates-over-http', 'fail'), summary: 'a hop started a new trace' };
    const finding = {
      cause: 'no-propagator' as const,
      service: 'api',
      summary: 'api: the SERVER span of a request with a traceparent is a new root — no propagator',
      evidence: [{ file: 'api/tracing.js', line: 3, note: 'no propagator is registered here' }],
      confidence: 'high' as const,
      proposals: [{ ...proposal('doctor-no-propagator-api'), title: 'Register the W3C propagator in api' }],
    };
    const checked = after(inVerify(), {
      type: 'checked',
      results: [failed],
      required: ['context-propagates-over-http'],
    });
    const check = vi.fn<GuideActions['check']>(async () => ({
      session: checked,
      results: [failed],
      required: ['context-propagates-over-http'],
      proven: false,
      findings: [finding],
    }));
    const fix = vi.fn<GuideActions['fix']>(async () => ({
      session: checked,
      results: [{ proposalId: 'doctor-no-propagator-api', ok: true }],
      written: ['api/tracing.js'],
    }));
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ check, fix }));
    await frameWith(lastFrame, 'c run the checks');
    await press(stdin, 'c');
    const frame = await frameWith(lastFrame, "f apply the doctor's fixes");
    expect(frame).toContain('Doctor — why the runtime checks failed:');
    expect(frame).toContain('(no-propagator, confidence high)');
    expect(frame).toContain('api/tracing.js:3: no propagator is registered here');
    expect(frame).toContain('fix: Register the W3C propagator in api');
    await press(stdin, 'f');
    const done = await frameWith(lastFrame, "1 file(s) changed by the doctor's fixes (api/tracing.js)");
    expect(fix).toHaveBeenCalledWith([finding.proposals[0]]);
    // The findings are gone until the checks run again.
    expect(done).not.toContain('Doctor — why');
    expect(done).not.toContain("f apply the doctor's fixes");
  });

  it('offers no f when the checks found nothing for the doctor', async () => {
    const failed = checkResult('backend-accepts-otlp', 'fail');
    const checked = after(inVerify(), { type: 'checked', results: [failed], required: ['backend-accepts-otlp'] });
    const check = vi.fn<GuideActions['check']>(async () => ({
      session: checked,
      results: [failed],
      required: ['backend-accepts-otlp'],
      proven: false,
    }));
    const { lastFrame, stdin } = guide(inVerify(), fakeActions({ check }));
    await frameWith(lastFrame, 'c run the checks');
    await press(stdin, 'c');
    const frame = await frameWith(lastFrame, 'r retry the checks');
    expect(frame).not.toContain('Doctor');
    await press(stdin, 'f');
    expect(lastFrame()).not.toContain('Applying');
  });
});

function checkResult(itemId: string, status: 'pass' | 'fail') {
  return check(itemId, status);
}

describe('text helpers', () => {
  it('colours diff lines only when colour is on', () => {
    expect(diffLine('+added', true).color).toBe('green');
    expect(diffLine('-removed', true).color).toBe('red');
    expect(diffLine('+added', false).color).toBeUndefined();
    expect(diffLine('-removed', false)).toEqual({ text: '-removed' });
  });

  it('wraps long lines at spaces with an indent', () => {
    const lines = wrapLine('one two three four five six seven eight nine ten', 20, '  ');
    expect(lines.every((line) => line.length <= 20)).toBe(true);
    expect(lines[1]!.startsWith('  ')).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe('one two three four five six seven eight nine ten');
  });
});
