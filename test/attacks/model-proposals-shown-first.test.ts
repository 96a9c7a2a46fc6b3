/**
 * Issue 15 item 1, last part: a model's proposals are never applied without having been shown. `apply --yes` on a step
 * the model has not planned yet plans it, prints and records the plan, applies nothing (exit 1, work not done); the next `apply --yes`
 * applies exactly what was shown. A marker file written by a stand-in npm proves what ran.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParsedArgs } from '../../src/cli/args.js';
import { runApply } from '../../src/cli/commands/apply.js';
import { reply, startFakeServer, toolUse, type FakeServer } from '../model/fake-messages-server.js';
import { useFakeTools } from '../helpers/fake-tool.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const FILES = {
  'package.json': `${JSON.stringify({ name: 'api', version: '1.0.0', scripts: { start: 'node index.js' }, dependencies: { express: '^5.1.0' } }, null, 2)}\n`,
  'index.js': "const express = require('express');\nexpress().listen(3000);\n",
};

let root: string;
let server: FakeServer;
let restore: () => Promise<void>;
let stdout: string;
const savedEnv = { ...process.env };
beforeEach(async () => {
  root = await makeSampleRepo(FILES);
  restore = (await useFakeTools({ npm: `printf '%s\\n' "$@" >> "${root}/npm-ran"` })).restore;
  server = await startFakeServer([
    reply([
      toolUse('propose_command', {
        title: 'Install the API',
        why: 'needed',
        command: 'npm install --save-exact @opentelemetry/api@1.9.0',
      }),
    ]),
    reply([toolUse('finish', { summary: 'One install.' })]),
  ]);
  Object.assign(process.env, {
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: server.baseURL,
    TRACE_GUIDE_MODEL: 'claude-test',
  });
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const key of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'TRACE_GUIDE_MODEL']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await server.close();
  await restore();
  await removeSampleRepo(root);
});

const apply: ParsedArgs = { command: 'apply', dir: '', json: true, step: 1, yes: true };
const ran = () =>
  stat(path.join(root, 'npm-ran')).then(
    () => true,
    () => false,
  );

describe('apply --yes with the model planner', () => {
  it('plans, shows and stops on an unplanned step; applies exactly the shown plan on the next run', async () => {
    expect(await runApply({ ...apply, dir: root })).toBe(1);
    expect(await ran()).toBe(false);
    const shown = JSON.parse(stdout) as {
      ok: boolean;
      applied: boolean;
      reason: string;
      message: string;
      planner: string;
      proposals: { id: string; change: { command?: string } }[];
    };
    expect(shown).toMatchObject({ ok: false, applied: false, reason: 'not-shown', planner: 'model' });
    expect(shown.message).toMatch(/nothing was applied.*just planned with the model/);
    expect(shown.proposals.map((p) => p.change.command)).toContain('npm install --save-exact @opentelemetry/api@1.9.0');

    const requests = server.requests.length;
    expect(await runApply({ ...apply, dir: root })).toBe(0);
    expect(server.requests.length).toBe(requests); // not planned again: the shown plan is what applies
    expect(await readFile(path.join(root, 'npm-ran'), 'utf8')).toBe(
      'install\n--save-exact\n@opentelemetry/api@1.9.0\n',
    );
  });

  it('--dry-run shows the model plan and changes nothing', async () => {
    expect(await runApply({ ...apply, dir: root, yes: false, dryRun: true })).toBe(0);
    expect(await ran()).toBe(false);
    expect(stdout).toContain('@opentelemetry/api@1.9.0');
  });
});
