/**
 * Attack (issue 15 item 5): secrets sent to the model. Values are redacted by key shape (DB_PASS, SIGNING_KEY,
 * x-honeycomb-team, an ini pass=) and by value shape (credentials in URLs, Authorization: Basic, JWTs, PEM blocks,
 * AWS key ids, long random tokens); env-like files (.envrc, .npmrc, .netrc, keys...) are never listed nor read; and
 * propose_edit matches the model's old text against the redacted view, so two calls differing only in a guessed
 * character of a secret get identical answers (no one-character-at-a-time oracle).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { createPlanContext } from '../../src/plan/context.js';
import { ToolLookup } from '../../src/plan/tool-lookup.js';
import { planStepWithModel } from '../../src/plan/model/model-planner.js';
import { Sandbox, redactSecrets } from '../../src/plan/model/sandbox.js';
import { ProposalState } from '../../src/plan/model/tools/propose.js';
import { applyTextEdits } from '../../src/edit/text-edit.js';
import { testSkill } from '../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { reply, startFakeServer, toolUse } from '../model/fake-messages-server.js';

const SECRETS = {
  dbPass: 'hunter2-db-pass',
  urlPass: 'urlPassw0rd',
  basic: 'YWxpY2U6czNjcjN0UHc9',
  signing: 'k7f9Qx2LmZ',
  honeycomb: 'hcTeamKey123abc',
  iniPass: 'letmein99',
  envrc: 'envrc-secret-value',
  npmrc: 'npmrc-auth-token-value',
  headers: 'otlpHeaderKey42',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  random: 'Zx81KqPLm29VbT4sNw7RcY3hJd6GfA0e',
};

describe('redaction by key shape and value shape', () => {
  it.each([
    ['DB_PASS in an env line', `DB_PASS=${SECRETS.dbPass}`, SECRETS.dbPass],
    [
      'HTTP Basic credentials in a URL',
      `REGISTRY=https://alice:${SECRETS.urlPass}@registry.example.com/npm/`,
      SECRETS.urlPass,
    ],
    ['an Authorization: Basic header', `Authorization: Basic ${SECRETS.basic}`, SECRETS.basic],
    ['SIGNING_KEY', `SIGNING_KEY=${SECRETS.signing}`, SECRETS.signing],
    ['an x-honeycomb-team header', `  x-honeycomb-team: ${SECRETS.honeycomb}`, SECRETS.honeycomb],
    ['a quoted honeycomb header in code', `headers: { 'x-honeycomb-team': '${SECRETS.honeycomb}' }`, SECRETS.honeycomb],
    ['an ini pass=', `[db]\nuser=app\npass=${SECRETS.iniPass}\n`, SECRETS.iniPass],
    ['exporter headers in an env var', `OTEL_EXPORTER_OTLP_HEADERS=x-api-key=${SECRETS.headers}`, SECRETS.headers],
    ['a JWT', `const t = "${SECRETS.jwt}";`, SECRETS.jwt.slice(0, 20)],
    ['a long random token', `value: ${SECRETS.random}`, SECRETS.random],
    [
      'a PEM certificate block',
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----',
      'MIIBszCCAVmgAwIBAgIU',
    ],
  ])('redacts %s', (_name, input, secret) => {
    const out = redactSecrets(input);
    expect(out.text).not.toContain(secret);
    expect(out.text).toContain('[REDACTED]');
  });

  it('keeps ordinary code and settings readable', () => {
    const code = [
      'const password = process.env.DB_PASSWORD;',
      'const token = getToken(req);',
      'headers: { Authorization: `Bearer ${token}` },',
      '"private": true,',
      'id = models.AutoField(primary_key=True)',
      'token: string;',
      'monkey: banana',
      'password = request.form.password',
      'app.listen(3000);',
    ].join('\n');
    expect(redactSecrets(code).text).toBe(code);
  });
});

describe('what the model may see', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeSampleRepo(
      {
        'package.json':
          JSON.stringify({ name: 'api', version: '1.0.0', main: 'index.js', dependencies: { express: '^4.19.0' } }) +
          '\n',
        'index.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
        'config/db.ini': `[db]\nhost=db\npass=${SECRETS.iniPass}\n`,
        'deploy/app.env.sh': `export DB_PASS=${SECRETS.dbPass}\nexport SIGNING_KEY=${SECRETS.signing}\n`,
        '.envrc': `export API_SECRET=${SECRETS.envrc}\n`,
        '.env.production': `X=${SECRETS.envrc}\n`,
        '.npmrc': `//registry.npmjs.org/:_authToken=${SECRETS.npmrc}\n`,
        '.pypirc': `[pypi]\npassword = ${SECRETS.npmrc}\n`,
        '.netrc': `machine example.com login a password ${SECRETS.npmrc}\n`,
        'certs/server.key': `${SECRETS.npmrc}\n`,
        'aws/credentials': `[default]\naws_secret_access_key = ${SECRETS.npmrc}\n`,
        'src/credential-store.js': 'module.exports = {};\n',
      },
      { git: true },
    );
  });
  afterAll(async () => {
    await removeSampleRepo(root);
  });

  it('env-like and credential files are neither listed nor readable', async () => {
    const sandbox = await Sandbox.open(root);
    for (const rel of [
      '.envrc',
      '.env.production',
      '.npmrc',
      '.pypirc',
      '.netrc',
      'certs/server.key',
      'aws/credentials',
    ]) {
      expect(sandbox.files, rel).not.toContain(rel);
      const read = await sandbox.read(rel);
      expect(read.ok, rel).toBe(false);
    }
    expect(sandbox.files).toContain('src/credential-store.js'); // source code about credentials stays readable
  });

  it('a planning run sends none of the secrets', async () => {
    const scan = await scanRepo(root);
    const ctx = createPlanContext({ root, skill: await testSkill(), scan, inputs: {}, tools: new ToolLookup('') });
    const server = await startFakeServer([
      reply([
        toolUse('read_file', { path: 'config/db.ini' }),
        toolUse('read_file', { path: 'deploy/app.env.sh' }),
        toolUse('read_file', { path: '.envrc' }),
        toolUse('search_code', { query: 'pass' }),
      ]),
      reply([toolUse('finish', { summary: 'done' })]),
    ]);
    try {
      await planStepWithModel(ctx, 'auto-instrumentation', {
        apiKey: 'test-key',
        baseURL: server.baseURL,
        model: 'claude-test',
      });
      const sent = server.raw.join('\n');
      expect(sent).toContain('[REDACTED]');
      for (const secret of [SECRETS.iniPass, SECRETS.dbPass, SECRETS.signing, SECRETS.envrc, SECRETS.npmrc])
        expect(sent).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});

describe('propose_edit is judged against the redacted view', () => {
  const SECRET = 'hunter2xyz';
  const FILE = `const a = 1;\npassword = "${SECRET}"\nconst b = 2;\n`;
  let root: string;
  beforeAll(async () => {
    root = await makeSampleRepo({ 'settings.py': FILE, 'app.py': 'import os\n' }, { git: true });
  });
  afterAll(async () => {
    await removeSampleRepo(root);
  });

  const proposeOnce = async (old: string, neu = 'x') => {
    const state = new ProposalState('auto-instrumentation', await Sandbox.open(root), []);
    return state.edit({ title: 't', why: 'w', path: 'settings.py', edits: [{ old, new: neu }] });
  };

  it('two calls differing only in a guessed secret character get identical answers', async () => {
    for (const [right, wrong] of [
      [`password = "${SECRET[0]}`, 'password = "q'],
      [`"${SECRET.slice(0, 3)}`, '"qqq'],
      [SECRET.slice(0, 4), 'qqqq'],
      [`${SECRET.slice(-2)}"\nconst b`, 'qq"\nconst b'],
    ]) {
      expect(await proposeOnce(right!), right).toEqual(await proposeOnce(wrong!));
    }
  });

  it('an old text touching the redacted value is refused with a reason that reveals nothing', async () => {
    for (const old of ['password = "', '"\nconst b = 2;']) {
      const outcome = await proposeOnce(old);
      expect(outcome.ok, old).toBe(false);
      expect(outcome.content).toMatch(/touches a \[REDACTED\] value/);
      expect(outcome.content).not.toContain(SECRET.slice(0, 3));
    }
  });

  it('an edit away from the secret is accepted and applies to the raw file, secret intact', async () => {
    const state = new ProposalState('auto-instrumentation', await Sandbox.open(root), []);
    const outcome = await state.edit({
      title: 't',
      why: 'w',
      path: 'settings.py',
      edits: [{ old: 'const b = 2;', new: 'const b = 3;' }],
    });
    expect(outcome.ok).toBe(true);
    const change = state.proposals[0]!.change;
    if (change.kind !== 'edit') throw new Error('expected an edit');
    const applied = applyTextEdits(FILE, change.edits);
    expect(applied).toEqual({ ok: true, content: FILE.replace('const b = 2;', 'const b = 3;') });
  });

  it('an old text that also occurs inside the secret gets the same answer, and its raw edit is unambiguous', async () => {
    const answers: unknown[] = [];
    for (const secret of ['abcONLYabc123', 'abcNOPEabc123']) {
      const text = `token = "${secret}"\nONLY = 1\n`;
      const dir = await makeSampleRepo({ 'conf.py': text }, { git: true });
      try {
        const state = new ProposalState('auto-instrumentation', await Sandbox.open(dir), []);
        answers.push(
          await state.edit({ title: 't', why: 'w', path: 'conf.py', edits: [{ old: 'ONLY', new: 'ALSO' }] }),
        );
        const change = state.proposals[0]!.change;
        if (change.kind !== 'edit') throw new Error('expected an edit');
        expect(change.edits.map((e) => e.old).join('')).not.toContain(secret);
        expect(applyTextEdits(text, change.edits)).toEqual({ ok: true, content: text.replace('\nONLY', '\nALSO') });
      } finally {
        await removeSampleRepo(dir);
      }
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});
