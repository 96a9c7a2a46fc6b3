/**
 * A framework's default port that is taken (here gunicorn's 8000, held by the test) is moved to a free port through the
 * variable that moves it ($PORT for gunicorn), instead of failing with "port in use": nobody chose the default. A
 * stand-in `gunicorn` on PATH (a few lines of node that listen on $PORT or 8000) keeps the test fast and offline.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { fixtureContext, type FixtureContext } from './node-fixture.js';

let root: string;
let bin: string;
let holder: net.Server | undefined;
let fixture: FixtureContext;

beforeAll(async () => {
  // Hold 8000 (if someone else already does, it is taken all the same).
  holder = await new Promise<net.Server | undefined>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port: 8000 }, () => resolve(server));
  });
  bin = await mkdtemp(path.join(tmpdir(), 'tg-fake-gunicorn-'));
  await writeFile(
    path.join(bin, 'gunicorn'),
    `#!/bin/sh\nexec node -e "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT || 8000), '127.0.0.1')"\n`,
  );
  await chmod(path.join(bin, 'gunicorn'), 0o755);
  root = await makeSampleRepo(
    {
      'requirements.txt': 'flask\ngunicorn\n',
      Procfile: 'web: gunicorn app:app\n',
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n',
    },
    { prefix: 'tg-default-port-' },
  );
  fixture = await fixtureContext(
    root,
    {},
    { env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` }, spanTimeoutMs: 300, settleMs: 100 },
  );
  await fixture.ctx.runtime();
});

afterAll(async () => {
  await fixture?.close();
  await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
  if (root) await removeSampleRepo(root);
  if (bin) await rm(bin, { recursive: true, force: true });
});

describe('a taken framework default port', () => {
  it('is moved to a free port through the variable that moves it', async () => {
    const run = await fixture.ctx.runtime();
    const [s] = run.services;
    expect(s?.service.port).toMatchObject({ value: 8000, defaultVariable: 'PORT' });
    expect([s?.status, s?.reason]).toEqual(['running', undefined]);
    expect(s?.port).not.toBe(8000);
    expect(s?.env.PORT).toBe(String(s?.port));
    expect(run.probes.map((p) => `${p.path} ${p.status}`)).toEqual(['/ 200']);
  });
});
