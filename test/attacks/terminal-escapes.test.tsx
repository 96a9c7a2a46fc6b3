/**
 * Attack (issue 15 item 6, terminal escape injection): a span named "\x1b]0;pwned\x07\x1b[2J" (set the window title,
 * clear the screen), with the same in its service name, status message, an attribute value and a log line, must reach
 * the terminal as visible escapes — from `trace-guide receive` (the real binary and a real exporter), from the trace
 * view of the guide, and from every text the CLI prints — never as raw control sequences.
 */
import { spawn } from 'node:child_process';
import React from 'react';
import { render } from 'ink-testing-library';
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progress, writeJson, writeText } from '../../src/cli/output.js';
import { safeLine, sanitizeTerminalText } from '../../src/core/sanitize-terminal.js';
import { TraceView } from '../../src/ui/trace/TraceView.js';
import { hexId, span } from '../../src/ui/trace/test-data.js';
import { buildTraceTree, renderTraceTree } from '../../src/verify/receiver/trace-tree.js';
import { assertBuilt, BIN } from '../helpers/cli.js';
import { ENTER, frameWith, pressUntil } from '../helpers/ink.js';

const EVIL = '\x1b]0;pwned\x07\x1b[2J';
const SHOWN = '\\x1b]0;pwned\\x07\\x1b[2J';

/** Raw control characters other than newline (and the SGR styling Ink itself writes, matched apart). */
function rawControls(text: string): string[] {
  const withoutInkStyles = text.replace(/\x1b\[\d+(;\d+)*m/g, '');
  return [...withoutInkStyles.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g)].map(
    (m) => m[0],
  );
}

describe('the one sanitising function', () => {
  it('shows ESC, BEL, CR, C1 controls and bidi overrides as visible escapes, and is idempotent', () => {
    expect(safeLine(EVIL)).toBe(SHOWN);
    expect(safeLine('a\u009b31mb\u202ec\rd\ne\tf\u007f')).toBe('a\\x9b31mb\\u202ec\\rd\\ne\\tf\\x7f');
    expect(safeLine(safeLine(EVIL))).toBe(SHOWN);
    expect(safeLine('GET /orders/:id — ✓ ünïcode')).toBe('GET /orders/:id — ✓ ünïcode');
  });

  it('keeps newlines, tabs and CRLF line ends only for a multi-line text', () => {
    expect(sanitizeTerminalText('one\r\n\ttwo\rthree\x1b[2J\n', { multiline: true })).toBe(
      'one\r\n\ttwo\\rthree\\x1b[2J\n',
    );
  });
});

describe('the CLI output sinks', () => {
  const writes: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    writes.length = 0;
  });
  const capture = () => {
    const sink = (chunk: string | Uint8Array) => (writes.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(sink as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(sink as typeof process.stderr.write);
  };

  it('text, progress and JSON never carry a raw control sequence', () => {
    capture();
    writeText(`check: span "${EVIL}" is not a SERVER span\nnext line`);
    progress(`log line: ${EVIL}`);
    writeJson({ name: `${EVIL}\u009b2J` });
    const all = writes.join('');
    expect(rawControls(all.replace(/\n/g, ''))).toEqual([]);
    expect(writes[0]).toBe(`check: span "${SHOWN}" is not a SERVER span\nnext line\n`);
    expect(writes[1]).toBe(`log line: ${SHOWN}\n`);
    expect(JSON.parse(writes[2]!)).toEqual({ name: `${EVIL}\u009b2J` });
  });
});

describe('the trace tree of `receive`', () => {
  it('prints names, service names and status messages escaped', () => {
    const evilSpan = span({
      traceId: hexId(1, 32),
      spanId: hexId(1, 16),
      name: EVIL,
      serviceName: `svc${EVIL}`,
      startMs: 0,
      endMs: 5,
      status: { code: 'error', message: `boom${EVIL}` },
    });
    const text = renderTraceTree(buildTraceTree([evilSpan]));
    expect(rawControls(text.replace(/\n/g, ''))).toEqual([]);
    expect(text).toContain(`svc${SHOWN}  ${SHOWN}  [internal]`);
    expect(text).toContain(`error: boom${SHOWN}`);
  });

  it('the real `trace-guide receive` prints a span sent by a real exporter escaped', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [BIN, 'receive'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver did not start: ${stderr}`)), 10_000);
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          const m = /OTLP\/HTTP (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': `evil${EVIL}` }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
      });
      const s = provider.getTracer('test').startSpan(EVIL);
      s.setStatus({ code: SpanStatusCode.ERROR, message: EVIL });
      s.end();
      await provider.shutdown();
      await vi.waitFor(() => expect(stdout).toContain('[internal]'), { timeout: 10_000, interval: 50 });
    } finally {
      child.kill('SIGINT');
    }
    await new Promise((resolve) => child.on('close', resolve));
    expect(rawControls(stdout.replace(/\n/g, ''))).toEqual([]);
    expect(stdout).toContain(`evil${SHOWN}  ${SHOWN}  [internal]`);
    expect(stdout).not.toContain('\x1b]0;pwned');
  }, 30_000);
});

describe('the trace view of the guide', () => {
  it('list, waterfall and span details show the span escaped', async () => {
    const traceId = hexId(7, 32);
    const observed = {
      spans: [
        span({
          traceId,
          spanId: hexId(1, 16),
          name: EVIL,
          kind: 'server',
          serviceName: `svc${EVIL}`,
          startMs: 0,
          endMs: 20,
          attributes: { 'app.note': EVIL, [`key${EVIL}`]: 1 },
          status: { code: 'error', message: EVIL },
        }),
      ],
      logs: [{ service: 'svc', text: `ERROR trace_id=${traceId} ${EVIL}` }],
      probes: [],
    };
    const { lastFrame, stdin } = render(
      <TraceView observed={observed} height={20} width={100} color={false} onClose={() => {}} />,
    );
    const list = await frameWith(lastFrame, 'Traces: 1');
    expect(rawControls(list.replace(/\n/g, ''))).toEqual([]);
    expect(list).toContain(SHOWN.slice(0, 12));
    const waterfall = await pressUntil(stdin, lastFrame, ENTER, 'trace 00000000');
    expect(rawControls(waterfall.replace(/\n/g, ''))).toEqual([]);
    expect(waterfall).toContain(`svc${SHOWN}`);
    const detail = await pressUntil(stdin, lastFrame, ENTER, 'Attributes (2):');
    expect(rawControls(detail.replace(/\n/g, ''))).toEqual([]);
    expect(detail).toContain(`app.note = ${SHOWN}`);
    expect(detail).toContain(`status: error — ${SHOWN}`);
    expect(detail).toContain(`svc: ERROR trace_id=${traceId} ${SHOWN}`);
  });
});
