/**
 * Issue 14 item 1: six checks showed a green ✓ over "0 manual spans checked". A check that had nothing to check says
 * "nothing to check" — neither pass nor fail — and a required check in that state does not prove its step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pitfallErrorsNotRecorded } from '../../src/verify/checks/static/pitfall-errors-not-recorded.js';
import { pitfallHighCardinality } from '../../src/verify/checks/static/pitfall-high-cardinality.js';
import { pitfallOverInstrumentation } from '../../src/verify/checks/static/pitfall-over-instrumentation.js';
import { pitfallSpanNotEnded } from '../../src/verify/checks/static/pitfall-span-not-ended.js';
import { pitfallWrongSpanKind } from '../../src/verify/checks/static/pitfall-wrong-span-kind.js';
import { reduce } from '../../src/session/machine.js';
import { formatCheckedSteps } from '../../src/cli/format/checks-text.js';
import { checkLines } from '../../src/ui/text.js';
import { newSession } from '../helpers/fixtures.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { runCheck, show } from '../checks/static/helpers.js';
import { testSkill } from '../helpers/recipe-harness.js';

// An Express app with the SDK set up (step 2 done) but not one span of its own (step 3 not done).
const FILES = {
  'package.json': JSON.stringify({
    name: 'api',
    main: 'server.js',
    scripts: { start: 'node --require ./tracing.cjs server.js' },
    dependencies: { express: '^4.21.2', '@opentelemetry/sdk-node': '0.300.0' },
  }),
  'tracing.cjs':
    "const { NodeSDK } = require('@opentelemetry/sdk-node');\nconst sdk = new NodeSDK({});\nsdk.start();\nprocess.once('SIGTERM', () => sdk.shutdown());\n",
  'server.js':
    "const express = require('express');\nconst app = express();\napp.get('/items', async (req, res) => {\n  try {\n    res.json(await load());\n  } catch (err) {\n    console.error(err);\n    res.status(500).end();\n  }\n});\nasync function load() { return []; }\napp.listen(3000);\n",
};

let root: string;
beforeAll(async () => {
  root = await makeSampleRepo(FILES);
});
afterAll(() => removeSampleRepo(root));

describe('checks over zero manual spans', () => {
  it.each([
    pitfallSpanNotEnded,
    pitfallErrorsNotRecorded,
    pitfallWrongSpanKind,
    pitfallOverInstrumentation,
    pitfallHighCardinality,
  ])('$itemId says nothing to check, never pass', async (check) => {
    const r = await runCheck(check, root);
    expect(r.status, show(r)).toBe('nothing-to-check');
    expect(r.summary).toMatch(/^nothing to check/);
  });

  it('a required item with nothing to check leaves step 3 unproven', async () => {
    const r = await runCheck(pitfallSpanNotEnded, root);
    const next = reduce(
      newSession(),
      { type: 'checked', results: [r], required: ['pitfall-span-not-ended'] },
      '2026-12-03T10:00:00.000Z',
    );
    expect(next.ok && next.session.steps[0]!.outcome).toBeNull();
  });

  it('is shown with its own grey mark, not ✓, in the text output and the guide', async () => {
    const r = await runCheck(pitfallSpanNotEnded, root);
    const text = formatCheckedSteps(await testSkill(), [
      { index: 2, results: [r], required: ['pitfall-span-not-ended'], proven: false },
    ]);
    expect(text).toMatch(/○ Every span is ended on every path: nothing to check/);
    expect(text).not.toMatch(/✓/);
    const [line] = checkLines(r, 'Every span is ended on every path', true, true);
    expect(line!.text.startsWith('○')).toBe(true);
    expect(line!.color).toBe('gray');
  });
});
