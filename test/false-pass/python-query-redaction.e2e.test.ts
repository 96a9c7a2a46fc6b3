/**
 * Issue 14 item 9, the Python set-up half: a route that needs `?api-key=…` is probed as the user stated it, on a real
 * Flask service with the set-up the Python recipe writes (real SDK and Flask/WSGI instrumentation from the offline
 * wheelhouse), started by the runtime run against the built-in receiver. With the recipe's set-up the key arrives as
 * REDACTED and pitfall-credentials-in-spans passes over what it read; with the set-up's redacting exporter wrapper taken
 * out, the key reaches the SERVER span's url.query and the check fails naming the span, never repeating the key.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonAutoInstrumentation } from '../../src/lang/python/recipes/auto-instrumentation.js';
import { ALL_CHECKS } from '../../src/verify/registry.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { hasPython3, usePythonWebVenv, venvServiceEnv } from '../doctor/python-venv.js';
import { applyIn, planIn } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const python = await hasPython3();
if (!python) console.warn('python3 is not installed: the Python query-redaction tests are skipped');

const ITEM = 'pitfall-credentials-in-spans';
const SECRET = 'secret123';

/** An API that answers 400 unless the request carries ?api-key=… (the shape of issue 14). */
const APP = `import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/forecast")
def forecast():
    if not request.args.get("api-key"):
        return {"error": "api-key required"}, 400
    return {"city": request.args.get("city", "?"), "forecast": "sun"}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
`;

const shared = usePythonWebVenv('tg-redact-venv-', python);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function instrumentedRepo(): Promise<string> {
  const root = await makeSampleRepo(
    { 'web/app.py': APP, 'web/requirements.txt': 'flask==3.1.3\n' },
    { prefix: 'tg-redact-' },
  );
  cleanup.push(() => removeSampleRepo(root));
  const plan = await planIn(root, 'auto-instrumentation', {}, { recipes: [pythonAutoInstrumentation], tools: [] });
  await applyIn(root, plan.proposals);
  return root;
}

async function checkCredentials(root: string) {
  const fixture = await fixtureContext(
    root,
    { probes: `GET /forecast?api-key=${SECRET}&city=oslo -> 200` },
    {
      ports: 'free',
      env: venvServiceEnv(shared.venv()),
      startTimeoutMs: 30_000,
      spanTimeoutMs: 5_000,
      settleMs: 500,
    },
  );
  cleanup.push(() => fixture.close());
  const check = ALL_CHECKS.find((c) => c.itemId === ITEM)!;
  const result = await check.run(fixture.ctx);
  const run = fixture.started()!;
  const server = run.store.spans().find((s) => s.kind === 'server' && s.attributes['url.path'] === '/forecast');
  return { result, run, server, ctx: fixture.ctx };
}

describe.skipIf(!python)('the Python set-up redacts credential query parameters', { timeout: 120_000 }, () => {
  it("with the recipe's set-up ?api-key=secret123 arrives as REDACTED and the check passes over what it read", async () => {
    const root = await instrumentedRepo();
    const { result, run, server, ctx } = await checkCredentials(root);
    expect(run.probes.map((p) => p.status)).toContain(200);
    expect(server?.attributes['url.query']).toBe('api-key=REDACTED&city=oslo');
    expect(JSON.stringify(run.store.spans().map((s) => s.attributes))).not.toContain(SECRET);
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toMatch(/no credentials in \d+ text attribute/);
    // url.query was read by name as request data, not only by shape.
    expect(JSON.stringify(result.evidence)).toMatch(/request data read: [^"]*url\.query/);
    // The same real spans (Flask's SERVER span, stable HTTP conventions) are judged right by step 4's span-kind check.
    const kinds = await ALL_CHECKS.find((c) => c.itemId === 'pitfall-wrong-span-kind')!.run(ctx);
    expect(kinds.status, kinds.summary).toBe('pass');
    expect(kinds.summary).toMatch(/span\(s\) of 1 kind\(s\) checked at runtime/);
  });

  it('without the redacting exporter wrapper the key reaches url.query and the check fails with the span', async () => {
    const root = await instrumentedRepo();
    const setupFile = path.join(root, 'web/otel_setup.py');
    const setup = await readFile(setupFile, 'utf8');
    const redacting = 'BatchSpanProcessor(RedactingSpanExporter(_span_exporter()))';
    expect(setup).toContain(redacting);
    await writeFile(setupFile, setup.replace(redacting, 'BatchSpanProcessor(_span_exporter())'));

    const { result, server } = await checkCredentials(root);
    expect(server?.attributes['url.query']).toBe(`api-key=${SECRET}&city=oslo`);
    expect(result.status).toBe('fail');
    const notes = result.evidence.map((e) => ('note' in e ? e.note : '')).join('\n');
    expect(notes).toContain(server!.spanId);
    expect(notes).toContain('query parameter api-key in url.query = "api-key=REDACTED&city=oslo"');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
