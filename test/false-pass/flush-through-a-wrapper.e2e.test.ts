/**
 * spans-flushed-on-shutdown for a Node service started through a wrapper process that passes SIGTERM on to its child,
 * as tsx does (ts-express-tsx in the shapes corpus). The proof sends SIGTERM to the service's process group — what a
 * terminal's Ctrl-C or a process manager stopping a group does — so node gets it from the group, and tsx, not hearing
 * back from its child within 30 ms, sends it a second one. The wrapper here (relay.js, written below) does just that part
 * of tsx: it forwards SIGTERM to its child 30 ms after getting it. Real processes, the real Node SDK (sdk-node,
 * instrumentation-http, the OTLP proto exporter; installed once by test/doctor/node-sdk-install.ts), the built-in receiver.
 *
 * - The shutdown handler the Node recipe writes (its text taken from the rendered tracing.cjs) stays installed until the
 *   flush has ended: the request's span arrives after SIGTERM and the item passes.
 * - False pass (issue 14, ts-express-tsx): the handler trace-guide wrote before, `process.once('SIGTERM', …)`. Its
 *   static half reads "shut down on SIGTERM", but the wrapper's second SIGTERM finds no handler left and ends node
 *   mid-flush: the item must fail, naming the span lost with the process.
 */
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeAutoInstrumentation } from '../../src/lang/node/recipes/auto-instrumentation.js';
import { ALL_CHECKS } from '../../src/verify/registry.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { NODE_SDK_PACKAGES, nodeSdkModules } from '../doctor/node-sdk-install.js';
import { planIn } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const ITEM = 'spans-flushed-on-shutdown';

/** The SDK started with the packages the test cache holds (the recipe's set-up also loads auto-instrumentations-node). */
const SDK_START = `'use strict';
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');

const sdk = new NodeSDK({ serviceName: 'web', traceExporter: new OTLPTraceExporter(), instrumentations: [new HttpInstrumentation()] });
sdk.start();

`;

/** The handler trace-guide's Node set-up had before: once() listeners, gone as soon as the first signal arrives. */
const ONCE_HANDLER = `// Flush buffered spans before the process exits, or the last requests are lost.
let shuttingDown = false;
function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  sdk
    .shutdown()
    .catch((err) => console.error('OpenTelemetry shutdown failed', err))
    .finally(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
`;

const SERVER = `'use strict';
const express = require('express');

const app = express();
app.get('/orders', (req, res) => res.json({ orders: [] }));
app.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => console.log('listening'));
`;

/** The part of tsx's signal relay that matters here: SIGTERM is passed on to the child 30 ms after it arrived. */
const RELAY = `'use strict';
const { spawn } = require('node:child_process');

const child = spawn(process.argv[2], process.argv.slice(3), { stdio: 'inherit' });
process.on('SIGTERM', () => setTimeout(() => child.kill('SIGTERM'), 30));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGTERM' ? 15 : 9)));
`;

/**
 * Test-only preload: every outgoing HTTP request (here only the span export) is completed 300 ms late, so the flush
 * outlasts the wrapper's 30 ms relay on any machine; without it a fast machine finishes the export within 30 ms and the
 * once() case could not show its loss.
 */
const SLOW_EXPORT = `'use strict';
const http = require('node:http');
const end = http.ClientRequest.prototype.end;
http.ClientRequest.prototype.end = function (...args) {
  setTimeout(() => end.apply(this, args), 300);
  return this;
};
`;

const PACKAGE = JSON.stringify(
  {
    name: 'web',
    version: '1.0.0',
    private: true,
    scripts: { start: 'node relay.js node --require ./slow-export.cjs --require ./tracing.cjs server.js' },
    dependencies: Object.fromEntries(
      [
        '@opentelemetry/sdk-node',
        '@opentelemetry/exporter-trace-otlp-proto',
        '@opentelemetry/instrumentation-http',
        'express',
      ].map((d) => [d, NODE_SDK_PACKAGES[d]!]),
    ),
  },
  null,
  2,
);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** The flush block of the set-up the Node recipe writes, as rendered. */
async function recipeFlushBlock(): Promise<string> {
  const root = await makeSampleRepo(
    { 'web/package.json': PACKAGE, 'web/server.js': SERVER },
    { prefix: 'tg-wrapper-plan-' },
  );
  cleanup.push(() => removeSampleRepo(root));
  const plan = await planIn(root, 'auto-instrumentation', {}, { recipes: [nodeAutoInstrumentation], tools: [] });
  const created = plan.proposals.find((p) => p.change.kind === 'create' && p.change.path === 'web/tracing.cjs')?.change;
  const text = created?.kind === 'create' ? created.content : '';
  const at = text.indexOf('// Flush buffered spans');
  expect(at, 'the recipe set-up has its flush block').toBeGreaterThan(0);
  return text.slice(at);
}

async function serviceWith(flushBlock: string): Promise<string> {
  const root = await makeSampleRepo(
    {
      'web/package.json': PACKAGE,
      'web/relay.js': RELAY,
      'web/slow-export.cjs': SLOW_EXPORT,
      'web/server.js': SERVER,
      'web/tracing.cjs': SDK_START + flushBlock,
    },
    { prefix: 'tg-wrapper-' },
  );
  cleanup.push(() => removeSampleRepo(root));
  await symlink(await nodeSdkModules(), path.join(root, 'web', 'node_modules'), 'dir');
  return root;
}

async function checkFlush(root: string) {
  const fixture = await fixtureContext(
    root,
    {},
    { ports: 'free', startTimeoutMs: 60_000, spanTimeoutMs: 5_000, settleMs: 500 },
  );
  cleanup.push(() => fixture.close());
  expect(fixture.ctx.services[0]!.start?.command).toBe('npm start');
  const result = await ALL_CHECKS.find((c) => c.itemId === ITEM)!.run(fixture.ctx);
  return { result, proofs: await fixture.started()!.shutdownProof() };
}

describe('spans-flushed-on-shutdown for a Node service started through a wrapper that relays SIGTERM (as tsx does)', {
  timeout: 300_000,
}, () => {
  it("passes with the recipe's handler: it stays installed while the flush runs, so the wrapper's second SIGTERM cannot cut it short", async () => {
    const { result, proofs } = await checkFlush(await serviceWith(await recipeFlushBlock()));
    expect(proofs).toEqual([expect.objectContaining({ serviceId: 'web', outcome: 'delivered', status: 200 })]);
    expect(result.status, result.summary).toBe('pass');
  });

  it('does not pass with once() handlers: the relayed SIGTERM ends node mid-flush and the span is lost', async () => {
    const { result, proofs } = await checkFlush(await serviceWith(ONCE_HANDLER));
    // The code reads as shut down on SIGTERM; only the stop shows the loss.
    expect(result.summary).toMatch(/the SDK is shut down on SIGTERM/);
    expect(proofs).toEqual([expect.objectContaining({ serviceId: 'web', outcome: 'lost', status: 200 })]);
    expect(result.status).toBe('fail');
    expect(result.fix).toMatch(/stays installed until the flush has ended/);
  });
});
