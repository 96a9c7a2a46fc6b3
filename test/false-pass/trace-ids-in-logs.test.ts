/**
 * Issue 14 item 6 (step 6): trace-ids-in-logs passes only when a line the service wrote while it handled the probes
 * carries the 32-hex id of a trace that arrived. Logs that only look correlated do not pass: access lines with no id
 * (a framework access log written after the request's span ended), an id the receiver never got (made up, or echoed
 * from a traceparent while the SDK exports nothing), the all-zero id a log format prints outside a span, an upper-case
 * id, or a correlated line written outside the probe window.
 */
import { describe, expect, it } from 'vitest';
import { traceIdsInLogs } from '../../src/verify/checks/runtime/trace-ids-in-logs.js';
import type { LogLine } from '../../src/verify/runtime/service-process.js';
import { fakeContext, fakeRun, PROBE_PARENT, span, T0, TRACE } from './fake-run.js';

const server = span({
  name: 'GET /items',
  kind: 'server',
  parentSpanId: PROBE_PARENT,
  scope: { name: 'opentelemetry.instrumentation.flask' },
});

function line(text: string, at = T0 + 40): LogLine {
  return { serviceId: 'api', stream: 'stderr', text, at };
}

async function verdict(lines: LogLine[]) {
  const run = { ...fakeRun([server]), logLines: () => lines };
  return traceIdsInLogs.run(fakeContext(run));
}

describe('trace-ids-in-logs does not pass on logs that only look correlated', () => {
  it('access lines with no trace id (werkzeug writes its line after the span ended): fails and quotes a line', async () => {
    const r = await verdict([line('127.0.0.1 - - [03/Dec/2026 15:11:33] "GET /items HTTP/1.1" 200 -')]);
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r.evidence)).toContain('GET /items HTTP/1.1');
  });

  it('a made-up trace id that is not among the arrived spans fails', async () => {
    const r = await verdict([
      line('INFO handled GET /items trace_id=1234567890abcdef1234567890abcdef span_id=1234567890abcdef'),
    ]);
    expect(r.status).toBe('fail');
  });

  it("the probe's trace id echoed from the traceparent while no span of it arrived fails", async () => {
    const run = { ...fakeRun([]), logLines: () => [line(`INFO traceparent=00-${TRACE}-${PROBE_PARENT}-01`)] };
    const r = await traceIdsInLogs.run(fakeContext(run));
    expect(r.status).not.toBe('pass');
  });

  it('the all-zero id a log format prints outside a span fails', async () => {
    const r = await verdict([
      line(`INFO [werkzeug] [trace_id=${'0'.repeat(32)} span_id=${'0'.repeat(16)}] - "GET /items HTTP/1.1" 200 -`),
    ]);
    expect(r.status).toBe('fail');
  });

  it('an upper-case id of an arrived trace fails and says so', async () => {
    const r = await verdict([line(`INFO handled GET /items trace_id=${TRACE.toUpperCase()}`)]);
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r.evidence)).toMatch(/upper case/);
  });

  it('a correlated line written before the probes (outside their window) does not pass', async () => {
    const r = await verdict([line(`INFO warming up trace_id=${TRACE} span_id=${server.spanId}`, T0 - 5_000)]);
    expect(r.status).not.toBe('pass');
  });

  it('the received id in a line written during the probes passes (the same run, correlated)', async () => {
    const r = await verdict([
      line('127.0.0.1 - - "GET /items HTTP/1.1" 200 -'),
      line(`INFO handled GET /items trace_id=${TRACE} span_id=${server.spanId}`),
    ]);
    expect(r.status, r.summary).toBe('pass');
  });
});
