import { describe, expect, it } from 'vitest';
import { corpusTable, type CorpusRow } from './corpus-table.mjs';

const drive = (name: string, proven: number[], seen: number[], extra: Partial<CorpusRow> = {}): CorpusRow =>
  ({
    name,
    proven: Object.fromEntries([1, 2, 3, 4, 5, 6].map((s) => [s, proven.includes(s)])),
    failures: Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((s) => [s, proven.includes(s) ? [] : [`check-${s}: fail: not seen`]]),
    ),
    oracle: Object.fromEntries([2, 3, 4, 6].map((s) => [s, seen.includes(s)])),
    disagreements: proven
      .filter((s) => [2, 3, 4, 6].includes(s) && !seen.includes(s))
      .map((s) => `step ${s} is proven but not seen`),
    ran: true,
    spanCount: 3,
    serviceLog: '',
    seconds: 12,
    ...extra,
  }) as CorpusRow;

describe('corpusTable', () => {
  it('counts agreement over the observable steps and every false pass, and says why steps are not proven', () => {
    const table = corpusTable([drive('flask-module', [1, 2, 4, 5], [2, 4]), drive('gin-logger', [1, 2, 3], [2])]);
    expect(table.agreeing).toBe(4 + 3);
    expect(table.judged).toBe(8);
    expect(table.falsePasses).toBe(1);
    expect(table.text).toContain('flask-module         ✓ ✓ · ✓ ✓ ·          ✓ · ✓ ·   4/4');
    expect(table.text).toContain('FALSE PASS gin-logger: step 3 is proven but not seen');
    expect(table.text).toContain('flask-module step 3: check-3: fail: not seen');
  });

  it('lists drives that failed and exports the oracle could not decode', () => {
    const table = corpusTable([
      { name: 'express-esm', error: 'Error: npm not found' },
      drive('oneline-package', [1], [], { rejected: ['bad protobuf'] } as Partial<CorpusRow>),
    ]);
    expect(table.failedDrives).toBe(1);
    expect(table.undecoded).toBe(1);
    expect(table.text).toContain('express-esm          drive failed: Error: npm not found');
    expect(table.text).toContain('UNDECODED EXPORT oneline-package: bad protobuf');
  });
});
