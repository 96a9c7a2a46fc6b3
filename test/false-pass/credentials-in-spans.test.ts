/**
 * Issue 14 item 9: a probe's url.query carried `api-key=…` into the spans while "no personal data" passed over
 * "0 attributes checked". pitfall-credentials-in-spans (required in steps 2 and 3) reads what arrived and fails with
 * the span, the attribute and its value with the secret redacted.
 */
import { describe, expect, it } from 'vitest';
import { credentialsIn } from '../../src/verify/checks/runtime/credential-values.js';
import { pitfallCredentialsInSpans } from '../../src/verify/checks/runtime/pitfall-credentials-in-spans.js';
import { defaultSkillDir, loadSkill } from '../../src/skill/load.js';
import { fakeContext, fakeRun, PROBE_PARENT, span } from './fake-run.js';

const server = (attributes: Record<string, string | string[]>) =>
  span({ name: 'GET /items', kind: 'server', parentSpanId: PROBE_PARENT, attributes });

describe('credentials recorded in spans fail the check', () => {
  it.each([
    ['url.query', { 'url.query': 'api-key=9f2c11aa77&page=2' }, /query parameter api-key in url.query/],
    [
      'url.full',
      { 'url.full': 'http://127.0.0.1:3000/items?access_token=abc123def456' },
      /query parameter access_token in url.full/,
    ],
    ['http.url', { 'http.url': 'http://svc/items?apikey=abc' }, /query parameter apikey in http.url/],
    ['http.target', { 'http.target': '/items?token=s3cr3t' }, /query parameter token in http.target/],
    ['a signature', { 'url.query': 'sig=Zm9vYmFy' }, /query parameter sig/],
    ['a password in a URL', { 'url.full': 'https://bob:hunter2@db.internal/items' }, /a password in the URL/],
    [
      'a bearer header',
      { 'http.request.header.authorization': ['Bearer abcdefghijklmnop'] },
      /credential header in http\.request\.header\.authorization/,
    ],
    [
      'a JWT in a header',
      { 'http.request.header.x-session': ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlXzEyMw'] },
      /a JWT/,
    ],
    [
      'a password in query text',
      { 'db.query.text': "SELECT * FROM users WHERE password = 'hunter2'" },
      /a password or token literal in db\.query\.text/,
    ],
    ['db.statement', { 'db.statement': "UPDATE t SET token = 'abc123'" }, /db\.statement/],
  ])('%s', async (_label, attributes, why) => {
    const leaking = server(attributes);
    const r = await pitfallCredentialsInSpans.run(fakeContext(fakeRun([leaking])));
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(why);
    // The span is the evidence, and the secret itself is not repeated.
    expect(
      r.evidence.some((e) => 'note' in e && e.note.includes(leaking.spanId) && e.note.includes(leaking.name)),
    ).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/9f2c11aa77|hunter2|abc123def456|s3cr3t/);
  });
});

describe('the evidence shows where the secret was, never the secret', () => {
  it('names the span and the attribute, and shows the value with the key redacted', async () => {
    const leaking = server({ 'url.query': 'api-key=secret123&page=2' });
    const r = await pitfallCredentialsInSpans.run(fakeContext(fakeRun([leaking])));
    const note = r.evidence.map((e) => ('note' in e ? e.note : '')).join('\n');
    expect(note).toContain('"GET /items"');
    expect(note).toContain('url.query = "api-key=REDACTED&page=2"');
    expect(note).not.toContain('secret123');
  });
});

describe('the item is required from the step that first runs the services', () => {
  it('is a required runtime item of step 2 (and of step 3, whose spans add attributes)', async () => {
    const skill = await loadSkill(defaultSkillDir());
    const item = skill.checklist.find((c) => c.id === 'pitfall-credentials-in-spans');
    expect(item?.required).toBe(true);
    expect(item?.method).toBe('runtime');
    const steps = skill.steps.filter((s) => s.checklist.includes('pitfall-credentials-in-spans')).map((s) => s.id);
    expect(steps).toEqual(['auto-instrumentation', 'manual-spans']);
  });
});

describe('what is not a credential, or was redacted, passes', () => {
  it('redacted values and ordinary parameters pass, with the count of spans read', async () => {
    const r = await pitfallCredentialsInSpans.run(
      fakeContext(
        fakeRun([
          server({ 'url.query': 'api-key=REDACTED&page=2', 'url.full': 'http://x/items?sig=REDACTED&q=shoes' }),
        ]),
      ),
    );
    expect(r.status, r.summary).toBe('pass');
    expect(r.summary).toMatch(/1 span/);
  });

  it('spans with no text attribute at all are "nothing to check", not a pass', async () => {
    const bare = span({
      name: 'GET',
      kind: 'server',
      parentSpanId: PROBE_PARENT,
      attributes: { 'http.response.status_code': 200 },
    });
    const r = await pitfallCredentialsInSpans.run(fakeContext(fakeRun([bare])));
    expect(r.status).toBe('nothing-to-check');
    expect(r.summary).toMatch(/0 attributes checked/);
  });

  it('a server that records no URL (Django under runserver) passes over what it recorded, and says no URL was recorded', async () => {
    const r = await pitfallCredentialsInSpans.run(
      fakeContext(fakeRun([server({ 'http.route': 'items/', 'http.request.method': 'GET' })])),
    );
    expect(r.status, r.summary).toBe('pass');
    expect(r.summary).toMatch(/2 text attribute\(s\) of 1 span/);
    expect(JSON.stringify(r.evidence)).toMatch(/no URL, query, query-text or header attribute was recorded/);
  });

  it.each([
    [
      'a callback URL with a token',
      { 'app.callback_url': 'https://hooks.example/cb?token=abc123def456' },
      /query parameter token in app\.callback_url/,
    ],
    [
      'a connection string with a password',
      { 'app.database_url': 'postgres://shop:hunter2@db:5432/shop' },
      /a password in the URL in app\.database_url/,
    ],
    [
      'a JWT in an app attribute',
      { 'enduser.session': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlXzEyMw' },
      /a JWT in enduser\.session/,
    ],
  ])(
    'an app attribute that is not request data still fails when it carries a credential: %s',
    async (_label, attributes, why) => {
      const r = await pitfallCredentialsInSpans.run(fakeContext(fakeRun([server(attributes)])));
      expect(r.status).toBe('fail');
      expect(r.summary).toMatch(why);
      expect(JSON.stringify(r)).not.toMatch(/abc123def456|hunter2/);
    },
  );

  it('no spans at all: skipped, never a pass', async () => {
    expect((await pitfallCredentialsInSpans.run(fakeContext(fakeRun([])))).status).toBe('skipped');
  });

  it('names that only contain a credential word are not flagged', () => {
    expect(credentialsIn({ attributes: { 'url.query': 'tokenizer=bpe&keyword=x&signed_up=1' } })).toEqual([]);
  });
});
