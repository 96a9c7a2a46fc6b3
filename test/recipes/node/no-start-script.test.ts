/**
 * A Node service that no package.json script starts (the scan runs it as `node app.js`, or `npx tsx src/server.ts`)
 * gets an edit, not a note: a "start" script that runs the same command with the set-up loaded first. After it is
 * applied the scan starts the service with `npm start` (so trace-guide's runtime checks run it traced) and step 2 has
 * nothing left to load. A service started some other way (a Procfile) still gets the note.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeAutoInstrumentation } from '../../../src/lang/node/recipes/auto-instrumentation.js';
import { scanRepo } from '../../../src/repo/scan.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { copyShape } from '../../helpers/shapes.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

const only = { recipes: [nodeAutoInstrumentation], tools: [] };

async function loadProposal(dir: string) {
  const plan = await planIn(dir, 'auto-instrumentation', {}, only);
  return { plan, load: plan.proposals.find((p) => p.id.endsWith(':load-tracing')) };
}

describe('a Node service without a start script', () => {
  it('express-cjs-guard (node app.js): a "start" script with --require ./tracing.cjs, then npm start runs it', async () => {
    const dir = await copyShape('express-cjs-guard');
    dirs.push(dir);
    expect((await scanRepo(dir)).services[0]!.start).toMatchObject({ command: 'node app.js', source: 'node' });

    const { plan, load } = await loadProposal(dir);
    expect(load?.change.kind).toBe('edit');
    expect(load?.title).toMatch(/Add a "start" script/);
    await applyIn(dir, plan.proposals);
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts).toEqual({ start: 'node --require ./tracing.cjs app.js' });
    expect(pkg.dependencies.express).toBe('^4.21.2');

    const after = (await scanRepo(dir)).services[0]!;
    expect(after.start).toMatchObject({ command: 'npm start', source: 'package.json' });
    // Nothing left to load: the start script already loads the set-up.
    expect((await loadProposal(dir)).load).toBeUndefined();
  });

  it('TypeScript run by tsx: one node process with tsx as its loader and the set-up imported first', async () => {
    const dir = await makeSampleRepo({
      'package.json': JSON.stringify(
        { name: 'ledger', type: 'module', dependencies: { express: '^5.1.0' }, devDependencies: { tsx: '^4.19.0' } },
        null,
        2,
      ),
      'src/server.ts':
        "import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => { res.send('ok'); });\napp.listen(Number(process.env.PORT ?? 4000));\n",
    });
    dirs.push(dir);
    const { load } = await loadProposal(dir);
    const edit = load?.change.kind === 'edit' ? load.change.edits[0] : undefined;
    expect(edit?.new).toContain(`"start": "node --import tsx --import ./tracing.mjs src/server.ts"`);
  });

  it('started by a Procfile: still a note that needs the user’s edit', async () => {
    const dir = await makeSampleRepo({
      'package.json': JSON.stringify({ name: 'worker', dependencies: { express: '^4.21.2' } }, null, 2),
      Procfile: 'web: node server.js\n',
      'server.js': "const express = require('express');\nexpress().listen(Number(process.env.PORT || 3000));\n",
    });
    dirs.push(dir);
    const { load } = await loadProposal(dir);
    expect(load?.change.kind).toBe('note');
  });
});
