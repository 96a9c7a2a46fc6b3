import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ScanResult, Service } from '../../types/scan.js';
import { ScanSummary } from './ScanSummary.js';

const base = (id: string, language: Service['language']): Service => ({
  id,
  name: id,
  root: id,
  language,
  manifest: `${id}/manifest`,
  frameworks: [],
  httpClients: [],
  queueClients: [],
  dbClients: [],
  logging: [],
  tracing: [],
});

describe('ScanSummary', () => {
  it('says which services have no recipes yet and names what to use instead', () => {
    const ledger: Service = {
      ...base('ledger', 'rust'),
      noRecipes: {
        evidence: { file: 'ledger/Cargo.toml', line: 2 },
        label: 'Rust',
        option: 'OpenTelemetry Rust SDK',
        zeroCode: false,
        packages: ['opentelemetry'],
        how: 'set it up in main',
        docs: 'https://opentelemetry.io/docs/languages/rust/',
      },
    };
    const scan: ScanResult = {
      root: '/r',
      fileCount: 4,
      usedGit: false,
      services: [base('web', 'node'), ledger],
      problems: [],
      durationMs: 1,
    };
    const { lastFrame } = render(<ScanSummary scan={scan} />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.find((l) => l.includes('ledger'))).toContain('no recipes yet (instead: OpenTelemetry Rust SDK)');
    expect(lines.find((l) => l.includes('web'))).not.toContain('no recipes yet');
  });
});
