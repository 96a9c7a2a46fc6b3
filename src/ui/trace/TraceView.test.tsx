import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { TraceView } from './TraceView.js';
import { KeyRouter } from '../use-keys.js';
import { fakeObserved } from './test-data.js';
import { ENTER, ESC, DOWN, frameWith, pressUntil, press } from '../../../test/helpers/ink.js';

// Under the guide's key router, as in the guide: the view and its text fields take keys from their first frame on.
const view = (onClose = vi.fn()) =>
  render(
    <KeyRouter>
      <TraceView observed={fakeObserved()} height={12} width={76} color={false} onClose={onClose} />
    </KeyRouter>,
  );

function fits(frame: string, width: number, height: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
}

describe('the trace view', () => {
  it('lists one row per trace with error and missing-root marks, and sorts by duration with d', async () => {
    const { lastFrame, stdin } = view();
    const frame = await frameWith(lastFrame, 'Traces: 5');
    fits(frame, 76, 12);
    expect(frame).toMatch(/› +GET \/checkout +frontend,orders +3 sp +40\.0 ms/);
    expect(frame).toMatch(/✗ GET \/pay/);
    expect(frame).toContain('GET /stock ⚠ no root');
    expect(frame).toContain('500 sp');
    const sorted = await pressUntil(stdin, lastFrame, 'd', 'by duration');
    expect(sorted).toMatch(/› ✗ batch import/);
    await pressUntil(stdin, lastFrame, 'd', 'by start time');
  });

  it('filters by service or span name with /, and esc closes the view', async () => {
    const onClose = vi.fn();
    const { lastFrame, stdin } = view(onClose);
    await frameWith(lastFrame, 'Traces: 5');
    await pressUntil(stdin, lastFrame, '/', 'filter ›');
    await press(stdin, 'i', 'n', 'v');
    const filtered = await frameWith(lastFrame, 'Traces: 1 of 5');
    expect(filtered).toContain('inventory');
    expect(filtered).not.toContain('GET /checkout');
    await press(stdin, ENTER);
    await frameWith(lastFrame, '/ filter');
    await press(stdin, ESC);
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('opens a waterfall with indented spans and bars, jumps to the error, and shows its attributes, events and logs', async () => {
    const { lastFrame, stdin } = view();
    await frameWith(lastFrame, 'Traces: 5');
    await pressUntil(stdin, lastFrame, DOWN, /› ✗ GET \/pay/);
    const waterfall = await pressUntil(stdin, lastFrame, ENTER, 'trace 000000');
    fits(waterfall, 76, 12);
    expect(waterfall).toContain('2 spans');
    expect(waterfall).toMatch(/› +payments GET \/pay \[server\] +60\.0 ms █+/);
    expect(waterfall).toMatch(/ ✗ +payments charge card \[internal\] +40\.0 ms +█+/);
    const onError = await pressUntil(stdin, lastFrame, 'e', /›✗ +payments charge card/);
    expect(onError).toContain('✗ card declined');
    const detail = await pressUntil(stdin, lastFrame, ENTER, 'Attributes (2):');
    expect(detail).toContain('status: error — card declined');
    expect(detail).toContain('payment.id = pay-42');
    expect(detail).toContain('exception');
    await pressUntil(stdin, lastFrame, DOWN, /ERROR charge failed/);
    await pressUntil(stdin, lastFrame, ESC, 'e next error');
    await pressUntil(stdin, lastFrame, ESC, 'Traces: 5');
  });

  it('explains an orphan: the parent was not propagated, with how sure it is', async () => {
    const { lastFrame, stdin } = view();
    await frameWith(lastFrame, 'Traces: 5');
    await press(stdin, DOWN);
    await pressUntil(stdin, lastFrame, DOWN, /› +GET \/stock +frontend/);
    await pressUntil(stdin, lastFrame, DOWN, /› +GET \/stock ⚠ no root/);
    const frame = await pressUntil(stdin, lastFrame, ENTER, 'missing: not propagated (likely)');
    expect(frame).toContain("⚠ not propagated (the caller's span is in another trace) (likely)");
    const detail = await pressUntil(stdin, lastFrame, ENTER, 'because frontend GET /stock');
    expect(detail).toContain('⚠ parent 00000000… not received — not propagated');
    fits(detail, 76, 12);
  });

  it('keeps a 500-span trace to one screen, scrolls, jumps to the error and searches with / and n', async () => {
    const { lastFrame, stdin } = view();
    await frameWith(lastFrame, 'Traces: 5');
    await pressUntil(stdin, lastFrame, 'd', /› ✗ batch import/);
    const waterfall = await pressUntil(stdin, lastFrame, ENTER, '500 spans');
    fits(waterfall, 76, 12);
    expect(waterfall).toContain('1/500');
    const error = await pressUntil(stdin, lastFrame, 'e', /›✗ +db row 377/);
    fits(error, 76, 12);
    expect(error).toContain('✗ deadlock');
    await pressUntil(stdin, lastFrame, '/', 'search ›');
    await press(stdin, ...'row 4'.split(''), ENTER);
    const found = await frameWith(lastFrame, '"row 4": ');
    expect(found).toMatch(/› +db row 4\d* /);
    const first = /› +db (row \d+)/.exec(found)![1];
    const next = await pressUntil(stdin, lastFrame, 'n', new RegExp(`› +db row 4\\d*(?<!${first!.slice(4)}) `));
    fits(next, 76, 12);
    await pressUntil(stdin, lastFrame, DOWN, /\d+\/500/);
  });

  it('renders the same marks with colour on (the ✗ does not depend on colour)', async () => {
    const { lastFrame, stdin } = render(
      <TraceView observed={fakeObserved()} height={12} width={76} color onClose={() => {}} />,
    );
    await frameWith(lastFrame, 'Traces: 5');
    await pressUntil(stdin, lastFrame, DOWN, /› ✗ GET \/pay/);
    const frame = await pressUntil(stdin, lastFrame, ENTER, 'charge card');
    expect(frame).toMatch(/ ✗ +payments charge card/);
  });
});
