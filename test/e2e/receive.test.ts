/**
 * `trace-guide receive` as a user runs it: the real binary listening, a real OpenTelemetry exporter (http/protobuf) sending
 * a two-span trace, the tree printed on stdout, Ctrl-C (SIGINT) stopping it cleanly with a count.
 */
import { spawn } from 'node:child_process';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../helpers/cli.js';

beforeAll(() => assertBuilt());

describe('trace-guide receive', () => {
  it('prints each received trace as a tree and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'receive'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
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
    try {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'checkout-api' }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
      });
      const tracer = provider.getTracer('test');
      const root = tracer.startSpan('GET /checkout/:sku', { kind: SpanKind.SERVER });
      const child2 = tracer.startSpan('charge card', {}, trace.setSpan(context.active(), root));
      child2.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      child2.end();
      root.end();
      await provider.shutdown();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no tree printed: ${stdout}`)), 10_000);
        const poll = setInterval(() => {
          if (stdout.includes('charge card')) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve();
          }
        }, 50);
      });
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/2 spans\s+1 service \(checkout-api\)\s+1 error/);
    expect(stdout).toMatch(/└─ checkout-api\s+GET \/checkout\/:sku\s+\[server\]/);
    expect(stdout).toMatch(/charge card\s+\[internal\].*error: card declined/);
    expect(stderr).toMatch(/received 2 span\(s\) in 1 trace\(s\)/);
  });
});
