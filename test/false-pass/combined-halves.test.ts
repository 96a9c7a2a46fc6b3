/**
 * Issue 14 item 1: a check whose runtime half could not run ("service did not start") was shown ✓ because its static
 * half passed. Combining never ranks a pass above a half that was skipped or failed, and nothing-to-check never proves.
 */
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/verify/check.js';
import type { CheckResult } from '../../src/types/check-result.js';
import { combineChecks, combinedStatus } from '../../src/verify/combine-checks.js';
import { reduce } from '../../src/session/machine.js';
import { newSession } from '../helpers/fixtures.js';

const ITEM = 'spans-flushed-on-shutdown';
const half = (result: Omit<CheckResult, 'itemId' | 'evidence'>): Check => ({
  itemId: ITEM,
  run: async () => ({ itemId: ITEM, evidence: [], ...result }),
});
const ctx = {} as never;

describe('combining the halves of an item', () => {
  it('static pass + runtime "service did not start" is skipped, with the reason and the fix kept', async () => {
    const r = await combineChecks([
      half({ status: 'pass', summary: 'gateway: sdk.shutdown() runs on SIGTERM' }),
      half({
        status: 'skipped',
        summary: 'gateway: service did not start: Cannot find module express',
        fix: 'Make each service start with its start command',
      }),
    ]).run(ctx);
    expect(r.status).toBe('skipped');
    expect(r.summary).toMatch(/service did not start/);
    expect(r.fix).toMatch(/start command/);
  });

  it('the order of the halves does not matter, and a failing half always wins', () => {
    expect(combinedStatus(['skipped', 'pass'])).toBe('skipped');
    expect(combinedStatus(['pass', 'fail', 'skipped'])).toBe('fail');
    expect(combinedStatus(['nothing-to-check', 'nothing-to-check'])).toBe('nothing-to-check');
  });

  it('such a combined result does not prove its required step', async () => {
    const r = await combineChecks([
      half({ status: 'pass', summary: 'code ok' }),
      half({ status: 'skipped', summary: 'service did not start' }),
    ]).run(ctx);
    const next = reduce(newSession(), { type: 'checked', results: [r], required: [ITEM] }, '2026-12-03T10:00:00.000Z');
    expect(next.ok && next.session.steps[0]!.outcome).toBeNull();
  });
});
