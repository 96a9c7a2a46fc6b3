/**
 * Issue 15 item 2: a command planted in .trace-guide/session.json (a repository can ship one) is not run. The session's
 * proposals are re-validated on load (a rejected one is dropped, with the reason in the history), and a stored plan is
 * applied only as far as it was shown in this folder. Marker files prove what ran: each planted command would create one.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runApply } from '../../src/cli/commands/apply.js';
import { runPlan } from '../../src/cli/commands/plan.js';
import type { ParsedArgs } from '../../src/cli/args.js';
import { ProposalSchema, type Proposal } from '../../src/types/proposal.js';
import { proposalDigest } from '../../src/safety/shown-digest.js';
import type { Session } from '../../src/session/schema.js';
import { useFakeTools } from '../helpers/fake-tool.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const FILES = {
  'package.json': `${JSON.stringify({ name: 'api', version: '1.0.0', scripts: { start: 'node index.js' }, dependencies: { express: '^5.1.0' } }, null, 2)}\n`,
  'package-lock.json': '{}\n',
  'index.js': "const express = require('express');\nexpress().listen(3000);\n",
};

let root: string;
let restore: () => Promise<void>;
let stdout: string;
beforeEach(async () => {
  root = await makeSampleRepo(FILES);
  // A stand-in npm: if it ever runs, it leaves npm-ran (with its arguments) in the repo.
  restore = (await useFakeTools({ npm: `printf '%s\\n' "$@" >> "${root}/npm-ran"` })).restore;
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await restore();
  await removeSampleRepo(root);
});

const args = (command: 'plan' | 'apply', extra: Partial<ParsedArgs> = {}): ParsedArgs => ({
  command,
  dir: root,
  json: true,
  step: 1,
  offline: true,
  ...extra,
});
const sessionFile = () => path.join(root, '.trace-guide', 'session.json');
const readSession = async () => JSON.parse(await readFile(sessionFile(), 'utf8')) as Session;
const exists = (rel: string) =>
  stat(path.join(root, rel)).then(
    () => true,
    () => false,
  );
const lastJson = () => JSON.parse(stdout.slice(stdout.lastIndexOf('\n{') + 1)) as Record<string, unknown>;

/** Plans step 2 with the recipes (shown: `plan` prints it), then rewrites the stored step as an attacker would. */
async function plantInStep2(planted: Proposal, options: { forgeShown: boolean; repoRoot?: string }): Promise<void> {
  expect(await runPlan(args('plan'))).toBe(0);
  const session = await readSession();
  const step = session.steps[1]!;
  step.proposals.push(planted);
  if (options.forgeShown) step.shown.push(proposalDigest(planted));
  if (options.repoRoot) session.repoRoot = options.repoRoot;
  await writeFile(sessionFile(), JSON.stringify(session, null, 2));
}

const planted = (id: string, command: string): Proposal =>
  ProposalSchema.parse({
    id,
    step: 'auto-instrumentation',
    title: 'Install',
    why: 'needed',
    change: { kind: 'command', command, cwd: '.', touches: [] },
    source: 'recipe',
  });

describe('a command planted in a stored session', () => {
  it('is dropped on load when the policy rejects it, with the reason, and never runs — even with a forged "shown" record', async () => {
    await plantInStep2(planted('evil', `sh -c 'touch ${root}/pwned'`), { forgeShown: true });
    await plantInStep2Also(planted('evil-2', `npm install x; touch ${root}/pwned-2`));
    expect(await runApply(args('apply', { yes: true }))).toBe(0);
    expect(await exists('pwned')).toBe(false);
    expect(await exists('pwned-2')).toBe(false);
    const session = await readSession();
    expect(session.steps[1]!.proposals.map((p) => p.id)).not.toContain('evil');
    const refused = session.history.filter((h) => h.event === 'proposal-refused').map((h) => h.detail);
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^evil: .*"sh" is not an allowed tool/),
        expect.stringMatching(/^evil-2: .*shell metacharacters/),
      ]),
    );
    // The recipes' own install, which `plan` showed, did run (as argv): the stored plan itself still applies.
    expect(await readFile(path.join(root, 'npm-ran'), 'utf8')).toMatch(/^install\n--save-exact\n/);
  });

  it('an allowed-looking command that was never shown is shown and not run; run only once it was shown', async () => {
    await plantInStep2(planted('typosquat', 'npm install --ignore-scripts expresss@1.0.0'), { forgeShown: false });
    expect(await runApply(args('apply', { yes: true, only: ['typosquat'] }))).toBe(1);
    expect(await exists('npm-ran')).toBe(false);
    expect(lastJson()).toMatchObject({ ok: false, applied: false, reason: 'not-shown' });
    expect(JSON.stringify(lastJson().proposals)).toContain('expresss@1.0.0');
    // It has now been shown (printed above, and recorded): the same command applies exactly it.
    expect(await runApply(args('apply', { yes: true, only: ['typosquat'] }))).toBe(0);
    expect(await readFile(path.join(root, 'npm-ran'), 'utf8')).toBe('install\n--ignore-scripts\nexpresss@1.0.0\n');
  });

  it('a "shown" record of a session written for another folder (shipped with the repo) does not count', async () => {
    await plantInStep2(planted('shipped', 'npm install --ignore-scripts expresss@1.0.0'), {
      forgeShown: true,
      repoRoot: '/home/someone/else',
    });
    expect(await runApply(args('apply', { yes: true }))).toBe(1);
    expect(await exists('npm-ran')).toBe(false);
    expect(lastJson()).toMatchObject({ applied: false, reason: 'not-shown' });
  });

  it('a "shown" record in a session file that git tracks (committed to the repo) does not count', async () => {
    await plantInStep2(planted('committed', 'npm install --ignore-scripts expresss@1.0.0'), { forgeShown: true });
    const git = simpleGit(root);
    await git.init();
    await git.raw(['add', '-f', '.trace-guide/session.json']);
    expect(await runApply(args('apply', { yes: true, only: ['committed'] }))).toBe(1);
    expect(await exists('npm-ran')).toBe(false);
    expect(lastJson()).toMatchObject({ applied: false, reason: 'not-shown' });
  });
});

/** Adds one more planted proposal to the stored step 2 (after plantInStep2 has planned it). */
async function plantInStep2Also(proposal: Proposal): Promise<void> {
  const session = await readSession();
  session.steps[1]!.proposals.push(proposal);
  session.steps[1]!.shown.push(proposalDigest(proposal));
  await writeFile(sessionFile(), JSON.stringify(session, null, 2));
}
