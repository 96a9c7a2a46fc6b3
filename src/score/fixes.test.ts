import { describe, expect, it } from 'vitest';
import { setupReadsServiceNameEnv } from './fixes.js';

describe('whether a set-up reads OTEL_SERVICE_NAME (so a default for it names the service)', () => {
  it.each([
    ['node', 'const sdk = new NodeSDK({ traceExporter });\nsdk.start();', true],
    ['node', 'const provider = new BasicTracerProvider({ resource: resourceFromAttributes({}) });', false],
    [
      'node',
      'const resource = resourceFromAttributes({}).merge(await detectResources({ detectors: [envDetector] }));',
      true,
    ],
    ['python', 'provider = TracerProvider(resource=Resource.create({}))', true],
    ['python', "provider = TracerProvider(resource=Resource({'x': 1}))", false],
    ['python', 'provider = TracerProvider()', true],
  ])('%s: %s → %s', (language, code, reads) => {
    expect(setupReadsServiceNameEnv(language, code)).toBe(reads);
  });
});
