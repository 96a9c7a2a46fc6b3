import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceGuideError } from '../../src/core/errors.js';
import { listFiles } from '../../src/repo/files.js';
import { scanRepo } from '../../src/repo/scan.js';
import { names, service, sampleRepos } from './util.js';

const repo = sampleRepos();

const expressApp = {
  'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node index.js' }, dependencies: { express: '*' } }),
  'index.js': "const express = require('express');\nexpress().listen(3000);\n",
};

describe('scanRepo: file listing and safety', () => {
  it('in a git repo, gitignored files are not considered (and untracked, non-ignored ones are)', async () => {
    const dir = await repo(
      {
        ...expressApp,
        '.gitignore': 'generated/\n*.local.js\n',
        'generated/package.json': JSON.stringify({ name: 'gen', dependencies: { koa: '*' } }),
        'generated/index.js': "require('koa');\n",
        'secret.local.js': "require('axios');\n",
      },
      true,
    );
    await writeFile(path.join(dir, 'untracked.js'), "require('got');\n");
    const result = await scanRepo(dir);
    expect(result.usedGit).toBe(true);
    const s = service(result);
    expect(names(s.frameworks)).toEqual(['express']);
    expect(names(s.httpClients)).toEqual(['got']);
    const listed = await listFiles(dir);
    expect(listed.files).toEqual(['.gitignore', 'index.js', 'package.json', 'untracked.js']);
    expect(result.fileCount).toBe(4);
  });

  it('in a plain folder, node_modules, venvs and build output are never read; .gitignore still applies', async () => {
    const dir = await repo({
      ...expressApp,
      '.gitignore': 'ignored-by-rule/\n',
      'node_modules/koa/package.json': JSON.stringify({
        name: 'koa',
        scripts: { start: 'node x' },
        dependencies: { fastify: '*' },
      }),
      'node_modules/koa/index.js': "require('fastify');\n",
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/python3.12/site-packages/flask/app.py': 'import requests\n',
      'env/requirements.txt': 'flask\n',
      '.venv/lib/x/setup.py': 'import pika\n',
      'dist/index.js': "require('axios');\n",
      'ignored-by-rule/package.json': JSON.stringify({ name: 'x', dependencies: { koa: '*' } }),
      'ignored-by-rule/index.js': "require('koa');\n",
      '.trace-guide/session.json': '{}',
    });
    const result = await scanRepo(dir);
    expect(result.usedGit).toBe(false);
    const s = service(result);
    expect(names(s.frameworks)).toEqual(['express']);
    expect(s.httpClients).toEqual([]);
    expect((await listFiles(dir)).files).toEqual(['.gitignore', 'index.js', 'package.json']);
  });

  it('reports a broken package.json, go.mod and pyproject.toml as problems and goes on', async () => {
    const dir = await repo({
      ...expressApp,
      'broken-node/package.json': '{ "name": "oops", "dependencies": { "express": "*" ',
      'broken-node/index.js': "require('express')().listen(1234);\n",
      'broken-go/go.mod': 'module x\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n',
      'broken-go/main.go': 'package main\nfunc main() {}\n',
      'broken-py/pyproject.toml': '[project]\nname = "p"\ndependencies = [\n  "flask",\n',
      'broken-py/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const result = await scanRepo(dir);
    const byFile = Object.fromEntries(result.problems.map((p) => [p.file, p.message]));
    expect(Object.keys(byFile).sort()).toEqual([
      'broken-go/go.mod',
      'broken-node/package.json',
      'broken-py/pyproject.toml',
    ]);
    expect(byFile['broken-node/package.json']).toMatch(/not valid JSON/);
    expect(byFile['broken-go/go.mod']).toMatch(/require block is not closed/);
    expect(byFile['broken-py/pyproject.toml']).toMatch(/unclosed bracket/);
    // the healthy service is complete, and the broken ones are still scanned from their sources
    expect(names(service(result, '.').frameworks)).toEqual(['express']);
    expect(names(service(result, 'broken-node').frameworks)).toEqual(['express']);
    expect(names(service(result, 'broken-py').frameworks)).toEqual(['flask']);
  });

  it('throws an input error for a missing path, a file, and says why', async () => {
    const dir = await repo({ 'file.txt': 'x' });
    await expect(scanRepo(path.join(dir, 'nope'))).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringMatching(/No such directory/),
    });
    const err = await scanRepo(path.join(dir, 'file.txt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceGuideError);
    expect(err).toMatchObject({
      kind: 'input',
      message: expect.stringMatching(/Not a directory/),
      hint: expect.any(String),
    });
  });

  it('does not follow a symlink loop (walk and git)', async () => {
    const dir = await repo(expressApp);
    await mkdir(path.join(dir, 'a'));
    await symlink('..', path.join(dir, 'a', 'loop'));
    await symlink(path.join(dir, 'a'), path.join(dir, 'a', 'self'));
    const walked = await scanRepo(dir);
    expect(walked.services).toHaveLength(1);
    expect(walked.fileCount).toBe(2);

    const gitDir = await repo(expressApp, true);
    await symlink('.', path.join(gitDir, 'loop'));
    const viaGit = await scanRepo(gitDir);
    expect(viaGit.usedGit).toBe(true);
    expect(viaGit.services).toHaveLength(1);
  });

  it('skips binary files and files over the size cap', async () => {
    const binary = Buffer.concat([Buffer.from("const koa = require('koa');\n"), Buffer.from([0, 1, 2, 3])]);
    const dir = await repo({
      ...expressApp,
      'blob.js': binary,
      'big.js': "const axios = require('axios');\n" + '// padding\n'.repeat(2000),
    });
    const capped = service(await scanRepo(dir, { maxFileBytes: 4096 }));
    expect(names(capped.frameworks)).toEqual(['express']); // not koa: blob.js is binary
    expect(capped.httpClients).toEqual([]);
    const uncapped = service(await scanRepo(dir));
    expect(names(uncapped.httpClients)).toEqual(['axios']);
  });

  it('returns no services (and no error) for an empty repo or one without a recognizable service', async () => {
    const empty = await repo({});
    expect((await scanRepo(empty)).services).toEqual([]);
    const docs = await repo(
      { 'README.md': '# docs\n', 'site/index.html': '<html></html>', 'scripts/x.sh': 'echo\n' },
      true,
    );
    const result = await scanRepo(docs);
    expect(result).toMatchObject({ services: [], problems: [], usedGit: true, fileCount: 3 });
  });
});
