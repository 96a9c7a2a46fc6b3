/**
 * Issue 14 item 2 through the `apply` command: a step whose install command could not be proposed (npm missing) gets a
 * required note. `apply --yes --json` reports it as needs-edit (status in results, needsYourEdit, requiredNotesOpen),
 * is not ok and exits 1; `apply --only <note> --done` records it, and the note no longer holds the step.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { runApply } from '../../src/cli/commands/apply.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

let repo: string;
let bin: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  repo = await makeSampleRepo({
    'package.json':
      JSON.stringify(
        { name: 'api', main: 'server.js', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.2' } },
        null,
        2,
      ) + '\n',
    'server.js':
      "const express = require('express');\nconst app = express();\napp.get('/items', (req, res) => res.json([]));\napp.listen(3000);\n",
  });
  // A PATH with git (the apply records the tree's state) and node, but no npm: the install cannot be proposed to run.
  bin = await mkdtemp(path.join(tmpdir(), 'tg-no-npm-'));
  await symlink(execFileSync('which', ['git']).toString().trim(), path.join(bin, 'git'));
  await symlink(process.execPath, path.join(bin, 'node'));
  process.env.PATH = bin;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await removeSampleRepo(repo);
  await rm(bin, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runApply(parseCliArgs(argv));
    return { code, json: JSON.parse(out.join('')) as Record<string, unknown> };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe('apply with a required note', { timeout: 60_000 }, () => {
  it('reports needs-edit, is not ok, exits 1; --done records it', async () => {
    const applied = await cli(['apply', repo, '--step', '2', '--yes', '--offline', '--json']);
    const results = applied.json.results as { proposalId: string; ok: boolean; status?: string }[];
    const notes = results.filter((r) => r.status === 'needs-edit');
    expect(notes.length, JSON.stringify(results)).toBeGreaterThan(0);
    const open = applied.json.requiredNotesOpen as string[];
    expect(open.length).toBeGreaterThan(0);
    expect(applied.json.needsYourEdit).toEqual(expect.arrayContaining(open));
    expect(applied.json.ok).toBe(false);
    expect(applied.code).toBe(EXIT.notDone);

    const done = await cli(['apply', repo, '--step', '2', '--only', open.join(','), '--done', '--json']);
    expect(done.code).toBe(EXIT.ok);
    expect(done.json.requiredNotesOpen).toEqual([]);
  });
});
