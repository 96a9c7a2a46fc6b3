/**
 * Real app shapes from the corpus (test/fixtures/shapes/) driven through steps 1–6 with the JSON commands only
 * (`plan` / `apply --yes` / `check`, `--set backend=local`, no hand edits; npm, pip into a throwaway venv and the Go
 * module proxy really run), then the service is started the way the scan says, exporting to an independent oracle
 * receiver (test/helpers/oracle-receiver.ts, no code shared with src/), and requested with known traceparents.
 * Every step trace-guide calls proven must agree with the oracle: step 2 ⇒ a SERVER span arrived; step 3 ⇒ a span from
 * a non-instrumentation scope; step 4 ⇒ a SERVER span's parent is the sent span id; step 6 ⇒ the service's log output
 * carries a received trace id. A step the product does not prove is a finding (logged), not a failure: the test
 * asserts no false pass and that the oracle decodes every export. All twelve apps run; the installs they share are
 * prepared once (test/helpers/shape-installs.mjs) and the corpus table bench/corpus.mjs prints is printed at the end.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/cli.js';
import { corpusTable, type CorpusRow } from '../helpers/corpus-table.mjs';
import { startOracle, type Oracle } from '../helpers/oracle-receiver.js';
import { prepareShapeInstalls } from '../helpers/shape-installs.mjs';
import { shapeSlots } from '../helpers/shape-slots.mjs';
import { driveShape, judge, SHAPE_PORTS, SHAPES_DIR } from '../helpers/shapes-drive.mjs';

const SHAPES = readdirSync(SHAPES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
/** Drives side by side on the 2-core CI machine: most of a drive is waiting on installs and services starting. */
const DRIVES_AT_ONCE = 3;

function requireTool(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${tool} is needed by this test (it installs the real OpenTelemetry SDK) and is not installed here`,
    );
  }
}

let sharedEnv: Record<string, string> = {};
const rows: CorpusRow[] = [];

beforeAll(async () => {
  assertBuilt();
  requireTool('go', ['version']);
  requireTool('python3', ['--version']);
  sharedEnv = await prepareShapeInstalls(SHAPES, { log: (line) => console.log(line) });
}, 600_000);

afterAll(() => {
  if (rows.length > 0) console.log(`corpus (${rows.length} of ${SHAPES.length} apps):\n${corpusTable(rows).text}`);
});

describe('the corpus', () => {
  it('has at least the twelve shapes issue 14 asks for, each with the port its drive waits on', () => {
    expect(SHAPES.length).toBeGreaterThanOrEqual(12);
    for (const name of SHAPES) expect(SHAPE_PORTS[name], `${name}: no port in SHAPE_PORTS`).toBeGreaterThan(0);
  });
});

describe('the oracle judges what arrived, not what was claimed', () => {
  it('sees no step in an empty run, and each step only from its own evidence', () => {
    const sent = [{ route: '/', traceId: 'a'.repeat(32), parentId: 'b'.repeat(16) }];
    expect(judge([], sent, '')).toEqual({ 2: false, 3: false, 4: false, 6: false });
    const base = {
      traceId: 'c'.repeat(32),
      spanId: 'd'.repeat(16),
      parentSpanId: '',
      name: 'GET /',
      kind: 2,
      scope: '@opentelemetry/instrumentation-http',
      service: 's',
      statusCode: 0,
      attributes: {},
    };
    // A server span in a new trace: instrumented, but the sent context was dropped and nothing manual exists.
    expect(judge([base], sent, 'log line without ids')).toEqual({ 2: true, 3: false, 4: false, 6: false });
    const joined = { ...base, traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16) };
    const manual = { ...joined, kind: 1, scope: 'bookmarks', spanId: 'e'.repeat(16) };
    expect(judge([joined, manual], sent, `handled trace_id=${'a'.repeat(32)}`)).toEqual({
      2: true,
      3: true,
      4: true,
      6: true,
    });
  });
});

// The apps run side by side (each costs real installs), DRIVES_AT_ONCE at a time and never two on one port: each has
// its own oracle and its own temp copy, so no run can see another's spans.
const slot = shapeSlots(DRIVES_AT_ONCE);
describe.concurrent('real shapes through steps 1–6, judged by the oracle', () => {
  for (const name of SHAPES) {
    it(`${name}: every step trace-guide calls proven is confirmed by the oracle`, async ({
      expect,
      onTestFinished,
    }) => {
      const result = await slot(SHAPE_PORTS[name] ?? 0, async () => {
        const oracle: Oracle = await startOracle();
        onTestFinished(() => oracle.close());
        const started = Date.now();
        const drive = await driveShape(name, oracle, { env: sharedEnv, log: (line) => console.log(line) });
        rows.push({ ...drive, rejected: [...oracle.rejected], seconds: Math.round((Date.now() - started) / 1000) });
        return { ...drive, rejected: [...oracle.rejected] };
      });
      const notProven = Object.entries(result.failures).filter(([, why]) => why.length > 0);
      if (notProven.length > 0)
        console.log(
          `${name}: steps trace-guide did not prove (findings):\n${notProven.map(([s, why]) => `  step ${s}: ${why.join('; ')}`).join('\n')}`,
        );
      console.log(
        `${name}: proven ${JSON.stringify(result.proven)}, oracle ${JSON.stringify(result.oracle)}, ${result.spanCount} spans${result.ran ? '' : `, not run: ${result.why}`}`,
      );
      expect(result.rejected, 'the oracle could not decode an export').toEqual([]);
      expect(result.disagreements, `false passes on ${name}; service log:\n${result.serviceLog}`).toEqual([]);
    }, 1_500_000);
  }
});
