import { describe, expect, it } from 'vitest';
import {
  configuredRatio,
  exporterSettings,
  samplingRatio,
  tailSamplingInCollector,
} from '../../src/plan/recipes/exporter.js';
import { createPlanContext } from '../../src/plan/context.js';
import type { InputValue } from '../../src/session/schema.js';
import { emptyScan } from '../helpers/fixtures.js';
import { testSkill } from '../helpers/recipe-harness.js';

async function ctx(inputs: Record<string, InputValue>) {
  return createPlanContext({ root: '/repo', skill: await testSkill(), scan: emptyScan('/repo'), inputs });
}

describe('shared exporter and sampling settings', () => {
  it('keeps every trace at the head when a Collector tail-samples, and applies the ratio at the head otherwise', async () => {
    const tail = await ctx({ backend: 'jaeger', 'sampling-percent': 25 }); // tail-sampling defaults to errors-and-slow
    expect(tailSamplingInCollector(tail)).toBe(true);
    expect(samplingRatio(tail)).toBe(1);
    expect(configuredRatio(tail)).toBe(0.25);

    const head = await ctx({ backend: 'jaeger', 'sampling-percent': 25, 'tail-sampling': 'none' });
    expect(samplingRatio(head)).toBe(0.25);

    // The built-in receiver does not tail-sample: the ratio stays at the head.
    const local = await ctx({ backend: 'local', 'sampling-percent': 25 });
    expect(tailSamplingInCollector(local)).toBe(false);
    expect(samplingRatio(local)).toBe(0.25);
  });

  it('sends to localhost on the protocol port, or to the vendor base URL without /v1/traces', async () => {
    expect(exporterSettings(await ctx({ backend: 'local' }))).toEqual({
      protocol: 'http/protobuf',
      endpoint: 'http://localhost:4318',
      needsHeaders: false,
    });
    expect(exporterSettings(await ctx({ backend: 'tempo', 'otlp-protocol': 'grpc' })).endpoint).toBe(
      'http://localhost:4317',
    );
    expect(
      exporterSettings(
        await ctx({ backend: 'otlp-vendor', 'otlp-endpoint': 'https://otlp.example.com:4318/v1/traces' }),
      ),
    ).toEqual({
      protocol: 'http/protobuf',
      endpoint: 'https://otlp.example.com:4318',
      needsHeaders: true,
    });
  });
});
