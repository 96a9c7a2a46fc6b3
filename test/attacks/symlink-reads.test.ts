/**
 * Attack (issue 15 item 3): a repo file that is a symlink (or sits in a symlinked folder) pointing outside the repo must
 * never be read — not by the recipes (whose baseline proposals go to the model), the checks, the doctor, the runtime's
 * source reading, nor the model's sandbox tools — and reads have a size cap. A symlink that stays inside the repo works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scanRepo } from '../../src/repo/scan.js';
import { createPlanContext } from '../../src/plan/context.js';
import { RepoReader } from '../../src/repo/repo-reader.js';
import { ToolLookup } from '../../src/plan/tool-lookup.js';
import { planStepWithModel } from '../../src/plan/model/model-planner.js';
import { Sandbox } from '../../src/plan/model/sandbox.js';
import { readDocs, readServiceSources } from '../../src/verify/runtime/service-sources.js';
import { testSkill } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { reply, startFakeServer, toolUse } from '../model/fake-messages-server.js';

const OUTSIDE_TOKEN = 'npm_OUTSIDEtokenVALUE1234567890abcd';

let outside: string;
let root: string;

beforeAll(async () => {
  outside = await mkdtemp(path.join(os.tmpdir(), 'tg-outside-'));
  await writeFile(path.join(outside, 'registry-auth.yaml'), `services:\n  leak:\n    image: "${OUTSIDE_TOKEN}"\n`);
  await mkdir(path.join(outside, 'conf'));
  await writeFile(path.join(outside, 'conf', 'app.yaml'), `token_holder: ${OUTSIDE_TOKEN}\n`);
  await writeFile(path.join(outside, 'README.md'), `# ${OUTSIDE_TOKEN}\n`);
  await writeFile(
    path.join(outside, 'secret.js'),
    `module.exports = '${OUTSIDE_TOKEN}';\napp.get('/leak', () => 1);\n`,
  );
  root = await makeSampleRepo(
    {
      'package.json':
        JSON.stringify({ name: 'api', version: '1.0.0', main: 'index.js', dependencies: { express: '^4.19.0' } }) +
        '\n',
      'index.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
      'deploy/compose.yaml': 'services:\n  api:\n    image: api:inside\n',
      'big.txt': 'x'.repeat(600 * 1024),
    },
    { git: true },
  );
  await symlink(path.join(outside, 'registry-auth.yaml'), path.join(root, 'compose.yaml'));
  await symlink(path.join(outside, 'conf'), path.join(root, 'conf'));
  await symlink(path.join(outside, 'README.md'), path.join(root, 'README.md'));
  await symlink(path.join(outside, 'secret.js'), path.join(root, 'routes.js'));
  await symlink('deploy/compose.yaml', path.join(root, 'docker-compose.yml'));
});

afterAll(async () => {
  await removeSampleRepo(root);
  await rm(outside, { recursive: true, force: true });
});

describe('reads through symlinks that leave the repo', () => {
  it('the recipes / checks / doctor reader refuses a file symlinked out and a file in a folder symlinked out', async () => {
    const repo = new RepoReader(root);
    expect(await repo.read('compose.yaml')).toBeUndefined();
    expect(await repo.read('conf/app.yaml')).toBeUndefined();
    expect(await repo.read('README.md')).toBeUndefined();
  });

  it('a symlink that stays inside the repo is still read', async () => {
    expect(await new RepoReader(root).read('docker-compose.yml')).toContain('image: api:inside');
  });

  it('reads have a size cap', async () => {
    expect(await new RepoReader(root).read('big.txt')).toBeUndefined();
    const sandbox = await Sandbox.open(root);
    const read = await sandbox.read('big.txt');
    expect(read.ok).toBe(false);
  });

  it('the model sandbox never returns the outside text, whatever the path', async () => {
    const sandbox = await Sandbox.open(root);
    for (const rel of ['compose.yaml', 'conf/app.yaml', 'README.md', 'routes.js']) {
      const read = await sandbox.readRaw(rel);
      expect(read.ok, rel).toBe(false);
      if (!read.ok) expect(read.message).not.toContain(OUTSIDE_TOKEN);
    }
  });

  it('the runtime source and docs readers skip what resolves outside', async () => {
    const scan = await scanRepo(root);
    const service = scan.services[0]!;
    const docs = await readDocs(root, service);
    expect(docs.join('\n')).not.toContain(OUTSIDE_TOKEN);
    const sources = await readServiceSources(root, service);
    expect(sources.map((s) => s.text).join('\n')).not.toContain(OUTSIDE_TOKEN);
  });

  it('planning the backend step with the model sends nothing of the outside file', async () => {
    const scan = await scanRepo(root);
    const ctx = createPlanContext({ root, skill: await testSkill(), scan, inputs: {}, tools: new ToolLookup('') });
    const server = await startFakeServer([
      reply([
        toolUse('read_file', { path: 'compose.yaml' }),
        toolUse('read_file', { path: 'conf/app.yaml' }),
        toolUse('search_code', { query: 'OUTSIDE' }),
      ]),
      reply([toolUse('finish', { summary: 'done' })]),
    ]);
    try {
      await planStepWithModel(ctx, 'backend', { apiKey: 'test-key', baseURL: server.baseURL, model: 'claude-test' });
      expect(server.raw.length).toBeGreaterThan(0);
      for (const body of server.raw) expect(body).not.toContain(OUTSIDE_TOKEN);
    } finally {
      await server.close();
    }
  });
});
