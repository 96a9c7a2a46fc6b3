/**
 * Issue 14 item 5: probes of a Flask app went to /register and /login without the blueprint's /auth prefix, got 404,
 * and the 404 still counted as "answered by a SERVER span". A probe that meets 404 (or, when the user stated a status,
 * any other status) is not a probed route.
 */
import { describe, expect, it } from 'vitest';
import { httpRequestsCreateServerSpans } from '../../src/verify/checks/runtime/http-requests-create-server-spans.js';
import { fakeContext, fakeRun, PROBE_PARENT, probe, span } from './fake-run.js';

function serverSpan(path: string, status: number) {
  return span({
    name: `GET ${path}`,
    kind: 'server',
    parentSpanId: PROBE_PARENT,
    scope: { name: 'opentelemetry.instrumentation.flask' },
    attributes: { 'http.request.method': 'GET', 'http.response.status_code': status, 'url.path': path },
  });
}

describe('http-requests-create-server-spans does not count a 404 as a probed route', () => {
  it('probes that all met 404 (prefix missed): not a pass, and the fix says how to state the right requests', async () => {
    const r = await httpRequestsCreateServerSpans.run(
      fakeContext(fakeRun([serverSpan('/login', 404)], [{ ...probe('/login'), status: 404 }])),
    );
    expect(r.status, r.summary).not.toBe('pass');
    expect(r.summary).toMatch(/no probe request reached a route/);
    expect(r.fix).toMatch(/probes\.yaml/);
  });

  it('a stated probe answered 400 instead of its stated 200 is not a probed route either', async () => {
    const r = await httpRequestsCreateServerSpans.run(
      fakeContext(
        fakeRun([serverSpan('/forecast', 400)], [{ ...probe('/forecast'), status: 400, expectedStatus: 200 }]),
      ),
    );
    expect(r.status, r.summary).not.toBe('pass');
  });

  it('the same SERVER span for a route that answered 200 passes (the check can pass)', async () => {
    const r = await httpRequestsCreateServerSpans.run(
      fakeContext(fakeRun([serverSpan('/auth/login', 200)], [probe('/auth/login')])),
    );
    expect(r.status, r.summary).toBe('pass');
  });
});
