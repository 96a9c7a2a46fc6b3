import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../helpers/cli.js';
import { TmuxTerminal } from '../helpers/tmux.js';

/*
 * A whole session of the real guide in a real terminal (tmux, 80x30, CI=0) on a one-service Express app written here.
 * 30 rows: the smallest height at which the guide draws the full step rail (below it, one line of marks), which this
 * test reads step by step.
 * Nothing is faked: the built-in receiver really listens, step 2 really runs `npm install` of the OpenTelemetry
 * packages, and every check starts the service and probes it.
 *
 *   scan → step 1 (built-in receiver) → step 2 (npm install; the trace view shows a SERVER span of `shop`)
 *   → step 3 planned, then `q` → the guide again: resume → steps 3–6 → every step done or skipped.
 *
 * The one skip: step 3 (manual spans): the app has no business code, so no span of its own tracer exists to check.
 * Step 4 is proven on this one service: its SERVER span continues the probe's traceparent, and the span kinds of the
 * spans that arrived are judged at runtime. The test asserts the skip (reason and unproven checks) in the session file.
 *
 * Step 6 is provable because the app logs one line per request (the logging middleware below): the check needs a log
 * line written while handling a probe, to find the trace id in it.
 */

const WIDTH = 80;
const HEIGHT = 30;
/** A waterfall row: the service, the span's name, its kind. */
const SERVER_SPAN = /shop [^[\]]*\[server\]/;
const SKIP_REASON_3 = 'no business logic yet: only health and item lookups';

let root: string;
const terminals: TmuxTerminal[] = [];

/** The screen as one line: text wraps at 80 columns and the panel draws borders, so words are compared, not lines. */
const flat = (screen: string) => screen.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

function guide(): TmuxTerminal {
  const terminal = new TmuxTerminal(`node ${BIN} ${root}`, { cwd: root, width: WIDTH, height: HEIGHT });
  terminals.push(terminal);
  return terminal;
}

/** The panel's title line of step `n` in `phase`. */
const titled = (n: number, title: string, phase: string) =>
  new RegExp(`${n}\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${phase}\\)`);

const TITLES = [
  'Set up a trace backend',
  'Instrument the services automatically',
  'Add spans for business operations',
  'Propagate context across services and queues',
  'Choose a sampling strategy',
  'Correlate traces with logs and metrics',
] as const;

/**
 * `n`: on to step `n` in its plan phase. The key counts as taken as soon as "Moving on" shows, so that it is not sent
 * again into the next step's first question (a text field would take it as a letter).
 */
async function next(t: TmuxTerminal, n: number): Promise<string> {
  const title = titled(n, TITLES[n - 1]!, 'plan');
  await t.pressUntil('n', new RegExp(`Moving on|${title.source}`));
  return t.waitFor(title);
}

/** Answers every question of the plan form with what is preselected, then plans: the step is then in review. */
async function planWithDefaults(t: TmuxTerminal): Promise<string> {
  await t.pressUntil('Enter', 'Plan this step');
  return t.pressUntil('Enter', '(review)', 30_000);
}

/**
 * From review: apply what is accepted (or go on when nothing is proposed), then run the checks until the rail marks the
 * step proven (✓) or failed (✗). The rail is read rather than the result list: a long list scrolls past the panel.
 */
async function applyAndCheck(t: TmuxTerminal, n: number, applyMs = 60_000): Promise<string> {
  const settled = new RegExp(`[✓✗] ${n}\\. ${TITLES[n - 1]}\\s+(done|failed)`);
  await t.pressAndWait('a', /Applying|c run the checks/, 'c run the checks', applyMs);
  return flat(await t.pressAndWait('c', new RegExp(`Checking step ${n}|${settled.source}`), settled, 180_000));
}

interface SavedCheck {
  itemId: string;
  status: string;
}
interface SavedStep {
  id: string;
  phase: string;
  outcome: string | null;
  checks: SavedCheck[];
  required: string[];
  checkRuns: number;
  applied: { proposalId: string; ok: boolean; message?: string }[];
  skips: { reason?: string; unverified: string[] }[];
}
interface SavedSession {
  current: number;
  inputs: Record<string, unknown>;
  steps: SavedStep[];
}
const saved = async () =>
  JSON.parse(await readFile(join(root, '.trace-guide', 'session.json'), 'utf8')) as SavedSession;

beforeAll(async () => {
  assertBuilt();
  root = await mkdtemp(join(tmpdir(), 'tg-session-'));
  await writeFile(
    join(root, 'package.json'),
    `${JSON.stringify({ name: 'shop', version: '1.0.0', private: true, scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }, null, 2)}\n`,
  );
  await writeFile(
    join(root, 'server.js'),
    [
      "const express = require('express');",
      '',
      'const app = express();',
      '// One log line per request: step 6 looks for the trace id in the lines written while a request is handled.',
      'app.use((req, res, next) => {',
      '  console.log(`${req.method} ${req.url}`);',
      '  next();',
      '});',
      "app.get('/', (req, res) => res.send('shop'));",
      "app.get('/health', (req, res) => res.json({ status: 'up' }));",
      "app.get('/items/:id', (req, res) => res.json({ id: req.params.id, name: 'widget' }));",
      '',
      "app.listen(process.env.PORT || 3000, () => console.log('shop listening'));",
      '',
    ].join('\n'),
  );
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'shop'],
    { cwd: root },
  );
});

afterAll(async () => {
  for (const terminal of terminals) terminal.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a whole guide session in a real terminal (tmux, 80x30)', () => {
  it('takes one Express service through all six steps, across a quit and a resume, and records every outcome', async () => {
    const started = Date.now();
    const t = guide();

    // The scan.
    const landing = await t.waitFor('Start the guide');
    expect(flat(landing)).toContain('1 service(s)');
    expect(flat(landing)).toMatch(/shop .*node · express/);

    // Step 1: the built-in receiver (the fifth backend), planned, applied, proven.
    await t.pressUntil('Enter', 'Where should traces go?');
    await t.pressUntil('Down', /❯ Grafana Tempo/);
    for (let i = 0; i < 3; i++) t.send('Down');
    await t.waitFor("❯ trace-guide's built-in receiver");
    await t.pressUntil('Enter', 'Which OTLP protocol');
    await t.pressUntil('Enter', 'Plan this step');
    const review1 = await t.pressUntil('Enter', '(review)', 30_000);
    expect(flat(review1)).toContain("[x] Use trace-guide's built-in receiver");
    const proven1 = await applyAndCheck(t, 1);
    expect(proven1).toContain('✓ step proven');
    expect(proven1).toMatch(/✓ Backend accepts OTLP/);
    expect(proven1).toContain('✓ 1. Set up a trace backend done');

    // Step 2: the SDK, with the real npm install.
    await next(t, 2);
    const review2 = flat(await planWithDefaults(t));
    expect(review2).toContain('[x] Install the OpenTelemetry packages with npm');
    expect(review2).toContain('[x] Create tracing.cjs to start the OpenTelemetry SDK');
    const proven2 = await applyAndCheck(t, 2, 240_000);
    expect(proven2).toMatch(/✓ Install the OpenTelemetry packages with npm — ran in/);
    expect(proven2).toContain('✓ 2. Instrument the services automatically done');
    expect(proven2).toContain('n next step');

    // The trace view: the list of what the checks observed, then a waterfall with a SERVER span of the service.
    const list = flat(await t.pressUntil('t', /Traces: \d+/));
    const count = Number(/Traces: (\d+)/.exec(list)![1]);
    expect(count).toBeGreaterThan(0);
    let waterfall = '';
    // The traces are listed by start time; open them in turn until one has a SERVER span (the first one should).
    for (let i = 0; i < count && !SERVER_SPAN.test(waterfall); i++) {
      if (i > 0) {
        await t.pressUntil('Escape', /Traces: \d+/);
        t.send('Down');
      }
      waterfall = flat(await t.pressUntil('Enter', /trace \S+ · \d+ spans? · /));
    }
    expect(waterfall).toMatch(SERVER_SPAN);
    expect(waterfall).toContain('esc list');
    await t.pressUntil('Escape', /Traces: \d+/);
    await t.pressUntil('Escape', 'n next step');

    // The help lists the trace view's keys too, and still fits the 30 lines (the title line stays on screen).
    const help = flat(await t.pressUntil('?', 'Trace view (t'));
    expect(help).toContain('list ↑/↓ select · enter waterfall · d sort · / filter · esc back');
    expect(help).toMatch(
      /waterfall ↑\/↓ span · PgUp\/PgDn page · e next error · \/ search · n next match · enter details · esc list/,
    );
    expect(help).toContain(`trace-guide · ${root}`);
    await t.pressUntil('Escape', 'n next step');

    // Step 3, planned, then quit mid-step: the session is saved.
    await next(t, 3);
    const review3 = flat(await planWithDefaults(t));
    expect(review3).toContain(
      'No change is proposed for this step: shop: no business operation found in the routes of shop',
    );
    await t.pressUntil('q', '[exit 0]');
    t.close();
    const atQuit = await saved();
    expect(atQuit.current).toBe(2);
    expect(atQuit.steps.slice(0, 2).map((s) => s.outcome)).toEqual(['verified', 'verified']);

    // The guide again: it offers to resume where it stopped.
    const again = guide();
    const offer = flat(await again.waitFor('Resume where it stopped'));
    expect(offer).toContain(`stopped at step 3, ${TITLES[2]} (review)`);
    await again.pressUntil('Enter', titled(3, TITLES[2], 'review'));

    // Step 3: nothing to change for one service without business code, and nothing for the checks to check: no span of
    // the application's own tracer exists, so the step is not proven (never ✓ over nothing); skipped with a reason.
    const unproven3 = await applyAndCheck(again, 3);
    expect(unproven3).toContain('✗ 3. Add spans for business operations failed · verify');
    await again.pressUntil('s', 'Skip step 3');
    again.type(SKIP_REASON_3);
    await again.waitFor('no business logic yet');
    const skipped3 = flat(await again.pressUntil('Enter', titled(4, TITLES[3], 'plan')));
    expect(skipped3).toContain('↷ 3. Add spans for business operations skipped');

    // Step 4: one service propagates (its SERVER span continues the probe's traceparent), and the span-kind check judges
    // the kinds of the spans that arrived (no hand-made span is needed for that): the step is proven.
    await planWithDefaults(again);
    const proven4 = await applyAndCheck(again, 4);
    expect(proven4).toContain('✓ 4. Propagate context across services and queues done');
    await next(again, 5);

    // Step 5: keep every trace (100 %), head sampling only: the built-in receiver runs no tail-sampling Collector.
    await again.waitFor('What percentage of ordinary traces');
    await again.waitFor(/› 10\s/);
    // A prefilled answer is replaced by the first key: one Backspace clears it, then the new value is typed.
    again.send('BSpace');
    await again.waitFor(/› \s/);
    again.type('100');
    await again.waitFor(/› 100\s/);
    await again.pressUntil('Enter', 'Keep every error / slow trace');
    // With the built-in receiver the default is no tail sampling (no Collector exists there): it is preselected.
    await again.waitFor(/❯ No, head sampling only/);
    await again.pressUntil('Enter', 'Plan this step');
    await again.pressUntil('Enter', '(review)', 30_000);
    expect(await applyAndCheck(again, 5)).toContain('✓ 5. Choose a sampling strategy done');

    // Step 6: trace ids on the log lines.
    await next(again, 6);
    const review6 = flat(await planWithDefaults(again));
    expect(review6).toContain('[x] Create log-correlation.cjs');
    expect(await applyAndCheck(again, 6)).toContain('✓ 6. Correlate traces with logs and metrics done');
    const final = await again.waitFor('all steps finished');

    // The rail: every step done, step 3 skipped.
    const rail = flat(final);
    TITLES.forEach((title, i) => {
      const skipped = i === 2;
      expect(rail).toContain(`${skipped ? '↷' : '✓'} ${i + 1}. ${title} ${skipped ? 'skipped' : 'done'}`);
    });
    expect(final.split('\n').length).toBeLessThanOrEqual(HEIGHT + 1);

    const capture = join(tmpdir(), `trace-guide-session-final-${process.pid}.txt`);
    await writeFile(capture, final);
    console.log(`final screen of the guide session (80x30) saved to ${capture}`);

    await again.pressUntil('q', '[exit 0]');

    // The session file: every outcome, the checks of each run, the skip with its reason and unproven checks.
    const session = await saved();
    expect(session.inputs).toMatchObject({
      backend: 'local',
      'business-attributes': '',
      'message-queues': [],
      'sampling-percent': 100,
      'tail-sampling': 'none',
      'logs-backend': 'none',
    });
    expect(session.steps.map((s) => [s.id, s.phase, s.outcome])).toEqual([
      ['backend', 'done', 'verified'],
      ['auto-instrumentation', 'done', 'verified'],
      ['manual-spans', 'done', 'skipped'],
      ['propagation', 'done', 'verified'],
      ['sampling', 'done', 'verified'],
      ['correlation', 'done', 'verified'],
    ]);
    for (const step of session.steps) {
      expect(step.checkRuns, step.id).toBeGreaterThan(0);
      expect(step.checks.length, step.id).toBeGreaterThan(0);
      if (step.outcome === 'verified') {
        for (const id of step.required)
          expect(step.checks, `${step.id}: ${id}`).toContainEqual(
            expect.objectContaining({ itemId: id, status: 'pass' }),
          );
      }
    }
    const [, step2, step3, step4, , step6] = session.steps;
    expect(step2!.applied).toContainEqual(expect.objectContaining({ proposalId: 'shop:install-otel', ok: true }));
    expect(step2!.checks).toContainEqual(
      expect.objectContaining({ itemId: 'http-requests-create-server-spans', status: 'pass' }),
    );
    expect(step6!.checks).toContainEqual(expect.objectContaining({ itemId: 'trace-ids-in-logs', status: 'pass' }));
    expect(step3!.skips).toEqual([
      expect.objectContaining({
        reason: SKIP_REASON_3,
        unverified: expect.arrayContaining(['custom-spans-have-correct-parents']),
      }),
    ]);
    expect(step3!.checks).toContainEqual(
      expect.objectContaining({ itemId: 'custom-spans-have-correct-parents', status: 'nothing-to-check' }),
    );
    expect(step4!.skips ?? []).toEqual([]);
    // One service: the propagation checks pass on what arrived (the SERVER span continued the probe's traceparent), and
    // the span kinds are judged on the spans that arrived.
    expect(step4!.checks).toContainEqual(
      expect.objectContaining({ itemId: 'context-propagates-over-http', status: 'pass' }),
    );
    expect(step4!.checks).toContainEqual(
      expect.objectContaining({ itemId: 'pitfall-wrong-span-kind', status: 'pass' }),
    );

    console.log(`guide session e2e took ${Math.round((Date.now() - started) / 1000)} s`);
  }, 900_000);
});
