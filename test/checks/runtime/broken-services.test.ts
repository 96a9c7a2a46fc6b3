/**
 * Real Node services that each break one thing on purpose; the runtime check that exists for that mistake fails (or is
 * skipped, for a service that cannot start) and says why.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSampleRepo } from '../../helpers/sample-repo.js';
import { freePort } from '../../../src/verify/runtime/ports.js';
import { runtimeChecks, runtimeHalfChecks } from '../../../src/verify/checks/runtime/index.js';
import type { Check } from '../../../src/verify/check.js';
import type { CheckResult } from '../../../src/types/check-result.js';
import { fixtureContext, makeFixtureRepo, type FixtureContext, type FixtureService } from './node-fixture.js';

function check(id: string): Check {
  const found = [...runtimeChecks, ...runtimeHalfChecks].find((c) => c.itemId === id);
  if (!found) throw new Error(`no runtime check ${id}`);
  return found;
}

function notes(outcome: CheckResult): string {
  return outcome.evidence.map((e) => ('note' in e ? e.note : `${e.file}:${e.line}`)).join('\n');
}

/** One repo, one shared run for a describe block; always closed. */
function withFixture(make: () => Promise<FixtureService[]>, inputs: Record<string, string | number> = {}) {
  const state: { root?: string; fixture?: FixtureContext } = {};
  beforeAll(async () => {
    state.root = await makeFixtureRepo(await make());
    state.fixture = await fixtureContext(state.root, inputs);
  });
  afterAll(async () => {
    await state.fixture?.close();
    if (state.root) await removeSampleRepo(state.root);
  });
  return (id: string) => check(id).run((state.fixture as FixtureContext).ctx);
}

describe('a caller that drops traceparent', () => {
  const run = withFixture(async () => {
    const backPort = await freePort();
    return [
      {
        dir: 'front',
        serviceName: 'front',
        port: await freePort(),
        calls: { variable: 'BACK_URL', defaultUrl: `http://127.0.0.1:${backPort}` },
        dropTraceparent: true,
      },
      { dir: 'back', serviceName: 'back', port: backPort },
    ];
  });

  it("context-propagates-over-http fails: back started a new trace for front's call", async () => {
    const outcome = await run('context-propagates-over-http');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(
      /back "GET \/work" \[server\] trace [0-9a-f]{32} .*started a new trace during GET http:\/\/127\.0\.0\.1:\d+\/hello: the call that reached back carried no trace context/,
    );
  });

  it('parent-child-across-services fails', async () => {
    const outcome = await run('parent-child-across-services');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(/carried no trace context/);
  });

  it('pitfall-context-not-propagated (runtime half) fails', async () => {
    const outcome = await run('pitfall-context-not-propagated');
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/1 span\(s\) started a new trace/);
  });

  it('the checks that do not depend on propagation still pass', async () => {
    expect((await run('service-name-set')).status).toBe('pass');
    expect((await run('http-requests-create-server-spans')).status).toBe('pass');
  });
});

describe('a service that never sets service.name', () => {
  const run = withFixture(async () => [
    { dir: 'named', serviceName: 'named', port: await freePort() },
    { dir: 'anonymous', port: await freePort() },
  ]);

  it('service-name-set fails naming the service that reports unknown_service', async () => {
    const outcome = await run('service-name-set');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(/anonymous reports service\.name=unknown_service/);
    expect(notes(outcome)).not.toMatch(/named reports/);
  });

  it('backend-receives-spans-from-all-services fails on it too', async () => {
    const outcome = await run('backend-receives-spans-from-all-services');
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/1 service\(s\) report unknown_service/);
  });
});

describe('a service whose log lines lack trace ids, whose request span is not SERVER, with deprecated attribute names', () => {
  const run = withFixture(async () => [
    {
      dir: 'plain',
      serviceName: 'plain',
      port: await freePort(),
      logIds: false,
      wrongServerKind: true,
      deprecatedAttributes: true,
    },
  ]);

  it('trace-ids-in-logs fails and quotes a line', async () => {
    const outcome = await run('trace-ids-in-logs');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(
      /plain: none of its \d+ line\(s\) during the probes carries a trace id the receiver got, e\.g\. "\d{4}-/,
    );
  });

  it('http-requests-create-server-spans fails: the request span is INTERNAL', async () => {
    const outcome = await run('http-requests-create-server-spans');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(/plain "GET \/hello" \[internal\].*not kind SERVER/);
  });

  it('attributes-semconv-and-business-context fails on http.method without http.request.method', async () => {
    const outcome = await run('attributes-semconv-and-business-context');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(/plain: http\.method without http\.request\.method/);
  });
});

describe('a service that starts its business span on a new trace and fails without recording the error', () => {
  const run = withFixture(async () => [
    {
      dir: 'careless',
      serviceName: 'careless',
      port: await freePort(),
      detachedInternalSpan: true,
      failWithoutRecording: true,
    },
  ]);

  it('custom-spans-have-correct-parents fails: the INTERNAL span started a new trace', async () => {
    const outcome = await run('custom-spans-have-correct-parents');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(/careless "price order" \[internal\].*started a new trace during a request/);
  });

  it('pitfall-errors-not-recorded (runtime half) fails for GET /fail', async () => {
    const outcome = await run('pitfall-errors-not-recorded');
    expect(outcome.status).toBe('fail');
    expect(notes(outcome)).toMatch(/\/fail → 500: none of its 1 span\(s\) has error status/);
  });
});

describe('a service that does not start', () => {
  const run = withFixture(
    async () => [
      {
        dir: 'broken',
        serviceName: 'broken',
        port: await freePort(),
        crashWith: 'Error: Cannot find module express (on purpose)',
      },
    ],
    { 'tail-sampling': 'none' },
  );

  it.each(['http-requests-create-server-spans', 'service-name-set', 'trace-ids-in-logs', 'sampling-reduces-volume'])(
    '%s is skipped with the stderr tail',
    async (id) => {
      const outcome = await run(id);
      expect(outcome.status).toBe('skipped');
      expect(outcome.summary).toMatch(
        /broken: service did not start: npm start exited \(code 3\): .*Error: Cannot find module express \(on purpose\)/s,
      );
    },
  );
});

describe('a service whose port is taken by another process', () => {
  let squatter: Server;
  let port: number;
  const run = withFixture(async () => {
    port = await freePort();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    return [{ dir: 'late', serviceName: 'late', port }];
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('is not started and the check says the port is in use rather than probing the other server', async () => {
    const outcome = await run('http-requests-create-server-spans');
    expect(outcome.status).toBe('skipped');
    expect(outcome.summary).toContain(
      `late: service did not start: port ${port} is taken by another process (pid ${process.pid}`,
    );
  });
});
