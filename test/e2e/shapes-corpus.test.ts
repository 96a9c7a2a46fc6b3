/**
 * Real app shapes from the corpus (test/fixtures/shapes/) driven through steps 1–6 with the JSON commands only
 * (`plan` / `apply --yes` / `check`, `--set backend=local`, no hand edits; npm, pip into a throwaway venv and the Go
 * module proxy really run), then the service is started the way the scan says, exporting to an independent oracle
 * receiver (test/helpers/oracle-receiver.ts, no code shared with src/), and requested with known traceparents.
 * Every step trace-guide calls proven must agree with the oracle: step 2 ⇒ a SERVER span arrived; step 3 ⇒ a span from
 * a non-instrumentation scope; step 4 ⇒ a SERVER span's parent is the sent span id; step 6 ⇒ the service's log output
 * carries a received trace id. A step the product does not prove is a finding (logged), not a failure: the test
 * asserts no false pass. The subset covers Node CJS with a require.main guard, a one-line package.json, a Flask app
 * factory run by `flask --app` and Go `cmd/<name>/main.go`; bench/corpus.mjs drives the whole corpus.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/cli.js';
import { startOracle, type Oracle } from '../helpers/oracle-receiver.js';
import { driveShape, judge } from '../helpers/shapes-drive.mjs';

const SUBSET = ['express-cjs-guard', 'oneline-package', 'flask-factory', 'go-nethttp-cmd'];

function requireTool(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is needed by this test (it installs the real OpenTelemetry SDK) and is not installed here`);
  }
}

beforeAll(() => {
  assertBuilt();
  requireTool('go', ['version']);
  requireTool('python3', ['--version']);
});

describe('the oracle judges what arrived, not what was claimed', () => {
  it('sees no step in an empty run, and each step only from its own evidence', () => {
    const sent = [{ route: '/', traceId: 'a'.repeat(32), parentId: 'b'.repeat(16) }];
    expect(judge([], sent, '')).toEqual({ 2: false, 3: false, 4: false, 6: false });
    const base = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), parentSpanId: '', name: 'GET /', kind: 2, scope: '@opentelemetry/instrumentation-http', service: 's', statusCode: 0, attributes: {} };
    // A server span in a new trace: instrumented, but the sent context was dropped and nothing manual exists.
    expect(judge([base], sent, 'log line without ids')).toEqual({ 2: true, 3: false, 4: false, 6: false });
    const joined = { ...base, traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16) };
    const manual = { ...joined, kind: 1, scope: 'bookmarks', spanId: 'e'.repeat(16) };
    expect(judge([joined, manual], sent, `handled trace_id=${'a'.repeat(32)}`)).toEqual({ 2: true, 3: true, 4: true, 6: true });
  });
});

// The apps run side by side (each costs real installs): each has its own oracle, its own temp copy and its own port
// (3000, 3100, 5000, 7070 in the fixtures), so no run can see another's spans.
describe.concurrent('real shapes through steps 1–6, judged by the oracle', () => {
  for (const name of SUBSET) {
    it(`${name}: every step trace-guide calls proven is confirmed by the oracle`, async ({ expect, onTestFinished }) => {
      const oracle: Oracle = await startOracle();
      onTestFinished(() => oracle.close());
      const result = await driveShape(name, oracle, { log: (line) => console.log(line) });
      const notProven = Object.entries(result.failures).filter(([, why]) => why.length > 0);
      if (notProven.length > 0) console.log(`${name}: steps trace-guide did not prove (findings):\n${notProven.map(([s, why]) => `  step ${s}: ${why.join('; ')}`).join('\n')}`);
      console.log(`${name}: proven ${JSON.stringify(result.proven)}, oracle ${JSON.stringify(result.oracle)}, ${result.spanCount} spans${result.ran ? '' : `, not run: ${result.why}`}`);
      expect(oracle.rejected, 'the oracle could not decode an export').toEqual([]);
      expect(result.disagreements, `false passes on ${name}; service log:\n${result.serviceLog}`).toEqual([]);
    }, 600_000);
  }
});
