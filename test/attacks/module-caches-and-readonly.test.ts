/**
 * Attack (issue 15 item 13): run in a home-like folder, trace-guide must not walk into module caches (Go's pkg/mod,
 * ~/.npm...), dependency folders, virtualenvs, vendor/ or nested repositories (a folder with its own .git), and must
 * never write into a read-only folder. A read-only session file or repo is a clear input error (exit 2), not an
 * internal one (exit 3). The tests judge read-only by the mode bits, so they hold when run as root too.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmod, mkdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { main } from '../../src/cli/main.js';
import { resolveInRepo } from '../../src/edit/safe-path.js';
import { listFiles } from '../../src/repo/files.js';
import { scanRepo } from '../../src/repo/scan.js';
import { makeSampleRepo, removeSampleRepo, writeFiles } from '../helpers/sample-repo.js';

const express = (name: string) => ({
  [`${name}/package.json`]:
    JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies: { express: '^4.19.0' } }) + '\n',
  [`${name}/index.js`]: "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
});
const goModule = (dir: string) => ({
  [`${dir}/go.mod`]: 'module example.com/cached\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n',
  [`${dir}/main.go`]:
    'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() { gin.Default().Run(":8080") }\n',
});

const dirs: string[] = [];
async function sample(files: Record<string, string>, git = false): Promise<string> {
  const dir = await makeSampleRepo(files, { git });
  dirs.push(dir);
  return dir;
}

let printed = '';
beforeEach(() => {
  printed = '';
  const capture = (chunk: unknown): boolean => {
    printed += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) {
    await chmod(dir, 0o755).catch(() => {});
    await removeSampleRepo(dir);
  }
});

describe('a home-like folder', () => {
  it('the scan skips module caches, tool folders and nested repositories', async () => {
    const home = await sample({
      ...express('app'),
      ...goModule('go/pkg/mod/example.com/cached@v1.0.0'),
      ...goModule('sdk/pkg/mod/github.com/other/thing@v0.3.0'),
      ...express('.npm/_npx/abc/node_modules/tool'),
      ...express('.local/share/pnpm/global/tool'),
      ...express('checkouts/other-project'),
      'checkouts/other-project/.git/HEAD': 'ref: refs/heads/main\n',
    });
    const scan = await scanRepo(home);
    expect(scan.services.map((s) => s.root)).toEqual(['app']);
    const listed = await listFiles(home);
    expect(listed.files.filter((f) => !f.startsWith('app/'))).toEqual([]);
  });

  it('in a git work tree, an untracked nested repository is not entered', async () => {
    const root = await sample({ ...express('api') }, true);
    const nested = path.join(root, 'vendored-tool');
    await mkdir(nested);
    await simpleGit(nested).init();
    await writeFiles(root, express('vendored-tool'));
    const scan = await scanRepo(root);
    expect(scan.services.map((s) => s.root)).toEqual(['api']);
    expect((await listFiles(root)).files.filter((f) => f.startsWith('vendored-tool/'))).toEqual([]);
  });
});

describe('read-only folders and files', () => {
  it('a proposal never writes into a read-only folder (a module cache is read-only)', async () => {
    const root = await sample({ ...express('api'), 'ro/keep.txt': 'x\n' });
    await chmod(path.join(root, 'ro'), 0o555);
    try {
      await expect(resolveInRepo(root, 'ro/new.js')).rejects.toThrow(/read-only folder/);
      await expect(resolveInRepo(root, 'ro/deeper/new.js')).rejects.toThrow(/read-only folder/);
      await expect(resolveInRepo(root, 'api/tracing.js')).resolves.toBe(
        path.join(await realpath(root), 'api', 'tracing.js'),
      );
    } finally {
      await chmod(path.join(root, 'ro'), 0o755);
    }
  });

  it('a read-only session file is a clear error with exit 2, and the file is left as it was', async () => {
    const root = await sample({ ...express('api') });
    expect(await main(['plan', root, '--step', '1', '--json'])).toBe(0);
    const session = path.join(root, '.trace-guide', 'session.json');
    const before = await readFile(session, 'utf8');
    await chmod(session, 0o444);
    printed = '';
    expect(await main(['plan', root, '--step', '1', '--json', '--set', 'backend=zipkin'])).toBe(2);
    expect(printed).toMatch(/session file .* is read-only/);
    expect(await readFile(session, 'utf8')).toBe(before);
    expect((await stat(session)).mode & 0o777).toBe(0o444);
  });

  it('a read-only repo is a clear error with exit 2 and nothing is created in it', async () => {
    const root = await sample({ ...express('api') });
    await chmod(root, 0o555);
    expect(await main(['plan', root, '--step', '1', '--json'])).toBe(2);
    expect(printed).toMatch(/repo folder .* is read-only/);
    await chmod(root, 0o755);
    await expect(stat(path.join(root, '.trace-guide'))).rejects.toThrow(/ENOENT/);
  });
});
