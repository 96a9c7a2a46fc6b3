/**
 * `trace-guide mcp` driven by the SDK's own client over stdio, against the built CLI in a temp sample repo: every tool
 * is listed and called, answers are the CLI's `--json` answers, bad calls are MCP tool errors, apply needs ids.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, runCli } from '../helpers/cli.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const EXPRESS_APP = {
  'package.json': JSON.stringify(
    { name: 'shop-api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } },
    null,
    2,
  ),
  'server.js':
    "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
};

let root: string;
let client: Client;

type ToolAnswer = { isError?: boolean; content: Array<{ type: string; text?: string }> };
async function call(name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  return (await client.callTool({ name, arguments: args })) as ToolAnswer;
}
const textOf = (answer: ToolAnswer) => answer.content.map((c) => c.text ?? '').join('');
function jsonOf(answer: ToolAnswer): Record<string, unknown> {
  expect(answer.isError, textOf(answer)).toBeFalsy();
  return JSON.parse(textOf(answer)) as Record<string, unknown>;
}

beforeAll(async () => {
  assertBuilt();
  root = await makeSampleRepo(EXPRESS_APP, { git: true, prefix: 'tg-mcp-' });
  client = new Client({ name: 'trace-guide-test', version: '0.0.0' });
  // The server's default repository is the sample repo; stderr (its progress lines) is not the protocol.
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', root], stderr: 'ignore' }),
  );
});
afterAll(async () => {
  await client?.close();
  if (root) await removeSampleRepo(root);
});

describe('trace-guide mcp over stdio', () => {
  it('lists every tool with an input schema, and the six step pages as resources', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'apply',
      'ask',
      'check',
      'doctor',
      'plan',
      'scan',
      'score',
      'status',
      'undo',
    ]);
    const apply = tools.find((t) => t.name === 'apply')!;
    expect(apply.inputSchema.required).toEqual(expect.arrayContaining(['step', 'ids']));
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toHaveLength(6);
    const page = await client.readResource({ uri: resources[0]!.uri });
    expect(page.contents[0]).toMatchObject({ mimeType: 'text/markdown' });
    expect(String((page.contents[0] as { text: string }).text)).toMatch(/^#/m);
  });

  it('answers scan and ask with the JSON of the CLI', async () => {
    const scan = jsonOf(await call('scan'));
    const cliScan = await runCli(['scan', root, '--json']);
    // The same answer but for how long this scan took.
    const untimed = (answer: Record<string, unknown>) => ({
      ...answer,
      scan: { ...(answer.scan as object), durationMs: 0 },
    });
    expect(untimed(scan)).toEqual(untimed(JSON.parse(cliScan.stdout) as Record<string, unknown>));
    const ask = jsonOf(await call('ask', { question: 'what is tail sampling?', step: 5, offline: true }));
    const cliAsk = await runCli(['ask', root, '--step', '5', 'what is tail sampling?', '--offline', '--json']);
    expect(ask).toEqual(JSON.parse(cliAsk.stdout));
  });

  it('walks plan → apply (chosen ids only) → status → check → undo → score → doctor', async () => {
    const plan = jsonOf(await call('plan', { step: 1, offline: true }));
    const ids = (plan.proposals as Array<{ id: string }>).map((p) => p.id);
    expect(ids.length).toBeGreaterThan(1);
    const applied = jsonOf(await call('apply', { step: 1, ids: [ids[0]] }));
    // Exactly the accepted proposal was applied; the others were not.
    expect(applied.results).toEqual([{ proposalId: ids[0], ok: true, status: 'applied' }]);
    expect((applied.written as Array<{ path: string }>).length).toBeGreaterThan(0);
    const written = (applied.written as Array<{ path: string }>).map((w) => w.path);
    expect(written.every((p) => existsSync(join(root, p)))).toBe(true);

    const status = jsonOf(await call('status'));
    expect(status).toEqual(JSON.parse((await runCli(['status', root, '--json'])).stdout));

    const check = jsonOf(await call('check', { step: 1 }));
    expect((check.steps as Array<{ number: number }>).map((s) => s.number)).toEqual([1]);

    const undo = jsonOf(await call('undo', { step: 1 }));
    expect(undo.restored).toEqual(expect.arrayContaining(written));
    expect(written.some((p) => existsSync(join(root, p)))).toBe(false);

    const score = jsonOf(await call('score', { min: 50 }));
    expect(score).toMatchObject({ min: 50 });
    expect(score).toHaveProperty('band');

    const doctor = jsonOf(await call('doctor'));
    expect(doctor).toHaveProperty('findings');
    expect(doctor).toHaveProperty('spansArrived');
  });

  it('refuses apply without ids and reports command errors as MCP tool errors', async () => {
    const noIds = await call('apply', { step: 1 });
    expect(noIds.isError).toBe(true);
    expect(textOf(noIds)).toMatch(/ids/);
    const emptyIds = await call('apply', { step: 1, ids: [] });
    expect(emptyIds.isError).toBe(true);
    const unknown = await call('apply', { step: 1, ids: ['no-such-proposal'] });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/no proposal no-such-proposal/);
    const missing = await call('scan', { dir: join(root, 'no-such-folder') });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/does not exist/);
  });
});
