import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../helpers/cli.js';
import { writeFiles } from '../helpers/sample-repo.js';

let root: string;

const write = (files: Record<string, string>) => writeFiles(root, files);

const EXPRESS_APP = {
  'package.json': JSON.stringify(
    { name: 'shop-api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0', pg: '^8.0.0' } },
    null,
    2,
  ),
  'server.js':
    "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
};

function gitSnapshot(): string {
  return execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: root, encoding: 'utf8' });
}

beforeAll(() => assertBuilt());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-cli-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('trace-guide CLI', () => {
  it('prints help with the commands and exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const text of [
      'scan [dir] [--json]',
      'status [dir] [--json]',
      'resume [dir]',
      'Exit codes',
      'checks failed',
      'internal error',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('rejects unknown options and extra arguments with exit 2', async () => {
    const unknown = await runCli(['scan', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/frobnicate/);
    const extra = await runCli(['scan', 'a', 'b']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/too many arguments/);
  });

  it('scans a service and answers in JSON on stdout only', async () => {
    await write(EXPRESS_APP);
    const result = await runCli(['scan', root, '--json']);
    expect(result.code).toBe(0);
    const { ok, scan } = JSON.parse(result.stdout) as {
      ok: boolean;
      scan: { services: Array<Record<string, unknown>> };
    };
    expect(ok).toBe(true);
    expect(scan.services).toHaveLength(1);
    expect(scan.services[0]).toMatchObject({ name: 'shop-api', language: 'node', frameworks: [{ name: 'express' }] });
  });

  it('scans in human text by default', async () => {
    await write(EXPRESS_APP);
    const result = await runCli(['scan', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/shop-api\s+\[\.\]\s+node · express/);
    expect(result.stdout).toContain('tracing    none yet');
  });

  it('explains a folder with no service', async () => {
    await write({ 'README.md': '# notes\n' });
    const result = await runCli(['scan', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No service was recognised');
  });

  it('gives a clear error for a path that is not there or not a directory', async () => {
    const missing = await runCli(['scan', join(root, 'nope'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { kind: 'input' } });
    expect(missing.stderr).toMatch(/does not exist/);

    await write({ 'file.txt': 'x' });
    const notDir = await runCli(['status', join(root, 'file.txt')]);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toMatch(/is not a directory/);
  });

  it('reports no session, then a corrupt one clearly, and reset keeps it as a backup', async () => {
    const none = await runCli(['status', root, '--json']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: true, session: null });

    await write({ '.trace-guide/session.json': '{ this is not json' });
    const corrupt = await runCli(['status', root]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/session file .* is not valid JSON/);
    expect(corrupt.stderr).toMatch(/trace-guide reset/);
    expect(await readFile(join(root, '.trace-guide/session.json'), 'utf8')).toBe('{ this is not json');

    const reset = await runCli(['reset', root, '--json']);
    expect(reset.code).toBe(0);
    const { backup } = JSON.parse(reset.stdout) as { backup: string };
    expect(await readFile(join(root, backup), 'utf8')).toBe('{ this is not json');
    expect(JSON.parse((await runCli(['status', root, '--json'])).stdout)).toMatchObject({ session: null });
  });

  it('refuses the interactive guide without a terminal and points to the JSON commands', async () => {
    await write(EXPRESS_APP);
    for (const args of [[root], ['resume', root], ['demo']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/needs a terminal/);
      expect(result.stderr).toMatch(/scan --json/);
    }
    expect(await readdir(root)).not.toContain('.trace-guide');
  });

  it('writes nothing in the repo when scanning or reporting status', async () => {
    await write(EXPRESS_APP);
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', '.'], { cwd: root });
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'init'], {
      cwd: root,
    });
    const before = gitSnapshot();
    await runCli(['scan', root, '--json']);
    await runCli(['status', root, '--json']);
    expect(gitSnapshot()).toBe(before);
    expect(await readdir(root)).not.toContain('.trace-guide');
  });

  it('plan, apply and undo: refuses to apply without --yes, applies, and undo restores the exact bytes', async () => {
    await write(EXPRESS_APP);
    execFileSync('git', ['init', '-q'], { cwd: root });
    const before = await readFile(join(root, 'server.js'), 'utf8');

    const noYes = await runCli(['apply', root, '--step', '2']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/only with --yes/);

    const badSet = await runCli(['plan', root, '--step', '1', '--set', 'backend=datadog', '--json']);
    expect(badSet.code).toBe(2);
    expect(JSON.parse(badSet.stdout)).toMatchObject({ ok: false, error: { kind: 'usage' } });

    const plan = await runCli(['plan', root, '--step', '1', '--set', 'backend=local', '--json']);
    expect(plan.code).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      step: { id: string };
      inputs: { id: string; value: unknown }[];
      proposals: unknown[];
    };
    expect(planned.step.id).toBe('backend');
    expect(planned.inputs.find((i) => i.id === 'backend')?.value).toBe('local');

    // Everything but the install command (the shop end-to-end test runs those for real).
    const step2 = JSON.parse((await runCli(['plan', root, '--step', '2', '--json'])).stdout) as {
      proposals: { id: string; change: { kind: string } }[];
    };
    const files = step2.proposals.filter((p) => p.change.kind !== 'command').map((p) => p.id);
    expect(files.length).toBeGreaterThan(1);
    const applied = await runCli(['apply', root, '--step', '2', '--yes', '--only', files.join(','), '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as { ok: boolean; written: { path: string }[] };
    expect(result.ok).toBe(true);

    const undo = await runCli(['undo', root, '--json']);
    expect(undo.code).toBe(0);
    expect(await readFile(join(root, 'server.js'), 'utf8')).toBe(before);
    const again = await runCli(['undo', root]);
    expect(again.stdout).toMatch(/Nothing to undo/);
  });
});
