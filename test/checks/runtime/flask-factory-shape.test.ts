/**
 * The Flask app-factory shape of the corpus (test/fixtures/shapes/flask-factory), run for real by the runtime run:
 * the derived `flask --app notebook run` starts on a free port through FLASK_RUN_PORT (its port is Flask's default,
 * which that variable moves), the `setup-commands` input creates its database first (without it /auth/login answers
 * 500), and the probes go to the blueprint's routes under its /auth prefix.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSampleRepo } from '../../helpers/sample-repo.js';
import { copyShape } from '../../helpers/shapes.js';
import { hasPython3, preparePythonWebVenv } from '../../doctor/python-venv.js';
import { fixtureContext, type FixtureContext } from './node-fixture.js';

const python = await hasPython3();
let root: string;
let venvDir: string;
let fixture: FixtureContext;

describe.skipIf(!python)(
  'flask app factory (flask --app notebook run) in the runtime run',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      venvDir = await mkdtemp(path.join(tmpdir(), 'tg-flask-venv-'));
      const venv = await preparePythonWebVenv(venvDir);
      root = await copyShape('flask-factory');
      fixture = await fixtureContext(
        root,
        { 'setup-commands': 'flask --app notebook init-db' },
        {
          ports: 'free',
          env: { PATH: `${venv.bin}${path.delimiter}${process.env.PATH ?? ''}` },
          spanTimeoutMs: 500,
          settleMs: 100,
        },
      );
      await fixture.ctx.runtime();
    }, 120_000);

    afterAll(async () => {
      await fixture?.close();
      if (root) await removeSampleRepo(root);
      if (venvDir) await rm(venvDir, { recursive: true, force: true });
    });

    it('starts on a free port through FLASK_RUN_PORT, not on the default 5000', async () => {
      const run = await fixture.ctx.runtime();
      const [s] = run.services;
      expect([s?.status, s?.reason, s?.command]).toEqual(['running', undefined, 'flask --app notebook run']);
      expect(s?.service.port).toMatchObject({ value: 5000, defaultVariable: 'FLASK_RUN_PORT' });
      expect(s?.env.FLASK_RUN_PORT).toBe(String(s?.port));
      expect(s?.port).not.toBe(5000);
    });

    it('probes the blueprint routes under /auth, answered 200 because the set-up created the database', async () => {
      const run = await fixture.ctx.runtime();
      expect(run.probes.map((p) => `${p.path} ${p.status}`).sort()).toEqual([
        '/auth/login 200',
        '/auth/register 200',
        '/hello 200',
      ]);
    });
  },
);
