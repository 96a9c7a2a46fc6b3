import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runJsonCommand } from './run-command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tg-mcp-run-'));
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }),
  );
  await writeFile(path.join(dir, 'server.js'), "require('express')().listen(3000);\n");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('runJsonCommand', () => {
  it('returns the JSON a command prints with --json, and prints nothing on stdout', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const answer = await runJsonCommand(['scan', '--', dir]);
    expect(stdout).not.toHaveBeenCalled();
    expect(answer).toMatchObject({
      kind: 'result',
      code: 0,
      json: { ok: true, scan: { root: dir, services: [{ id: 'api' }] } },
    });
  });

  it('turns a usage or input error into an error with the CLI message and hint', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const missing = await runJsonCommand(['scan', '--', path.join(dir, 'nope')]);
    expect(missing).toMatchObject({ kind: 'error', code: 2 });
    expect(missing.kind === 'error' && missing.message).toMatch(/does not exist\n {2}hint: /);
    const badArgs = await runJsonCommand(['plan', '--', dir]);
    expect(badArgs).toMatchObject({ kind: 'error', code: 2 });
    expect(badArgs.kind === 'error' && badArgs.message).toMatch(/plan needs --step N/);
  });
});
