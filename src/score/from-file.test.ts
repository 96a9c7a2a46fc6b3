/**
 * `score --from` on a file in the OpenTelemetry Collector file exporter's format (one OTLP/JSON export request per line:
 * traces, logs, metrics), written by hand: each rule's verdict and the score, hand-computed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../test/helpers/cli.js';
import { scoreSavedRun } from './score-repo.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/score/collector-file-export.jsonl');
const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

async function fileWith(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-score-'));
  temp.push(dir);
  const file = path.join(dir, 'saved.jsonl');
  await writeFile(file, text);
  return file;
}

describe('score --from a Collector file export', () => {
  it('judges every rule from the file and scores it by the formula', async () => {
    const { report, savedRun, fixes } = await scoreSavedRun(FIXTURE);
    expect(savedRun?.requests).toEqual({ traces: 1, logs: 1, metrics: 1 });
    expect(report.spans).toBe(4);
    const status = Object.fromEntries(report.rules.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      'RES-001': 'pass',
      'RES-004': 'pass',
      'RES-005': 'pass',
      'RES-006': 'pass',
      'RES-007': 'fail',
      'SPA-001': 'pass',
      'SPA-002': 'fail',
      'SPA-003': 'fail',
      'SPA-004': 'fail',
      'SPA-005': 'pass',
      'LOG-002': 'fail',
      'SDK-001': 'not-evaluated',
    });
    // Passed: Normal 20 ×3 (RES-001, RES-006, SPA-001) + Important 30 ×2 (RES-004, SPA-005) + Critical 40 (RES-005) = 160.
    // Failed: Important 30 ×4 (RES-007, SPA-003, SPA-004, LOG-002) + Normal 20 (SPA-002) = 140. 160 / 300 = 53.33.
    expect([report.passedWeight, report.evaluatedWeight, report.score, report.band]).toEqual([
      160,
      300,
      53.33,
      'Needs Improvement',
    ]);
    const evidence = (id: string) => report.rules.find((r) => r.id === id)?.evidence[0];
    expect(evidence('SPA-002')).toMatchObject({
      service: 'checkout',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanIds: ['b7ad6b7169203331'],
    });
    expect(evidence('SPA-003')).toMatchObject({ spanIds: ['eee19b7ec3c1b174'] });
    expect(evidence('SPA-004')).toMatchObject({ spanIds: ['00f067aa0ba902b7'] });
    expect(evidence('LOG-002')).toMatchObject({ service: 'checkout', count: 1 });
    // No repository: every fix is a note.
    expect(fixes.map((f) => f.ruleId).sort()).toEqual(['LOG-002', 'RES-007', 'SPA-002', 'SPA-003', 'SPA-004']);
    expect(fixes.flatMap((f) => f.proposals).every((p) => p.change.kind === 'note')).toBe(true);
  });

  it('reads a single pretty-printed request too', async () => {
    const first = (await import('node:fs/promises'))
      .readFile(FIXTURE, 'utf8')
      .then((t) => JSON.stringify(JSON.parse(t.split('\n')[0]!), null, 2));
    const { report } = await scoreSavedRun(await fileWith(await first));
    expect(report.spans).toBe(4);
    expect(report.rules.find((r) => r.id === 'LOG-002')?.status).toBe('not-evaluated');
  });

  it.each([
    ['', /is empty/],
    ['{"resourceSpans":[]}\nnot json\n', /saved\.jsonl:2 is not OTLP JSON/],
    ['{"hello":1}\n', /saved\.jsonl:1 is not an OTLP export request/],
  ])('refuses %j with a clear error', async (text, message) => {
    await expect(scoreSavedRun(await fileWith(text))).rejects.toThrow(message);
  });

  it('names a file that cannot be read', async () => {
    await expect(scoreSavedRun('/nonexistent/saved.jsonl')).rejects.toThrow(
      /cannot read \/nonexistent\/saved\.jsonl: ENOENT/,
    );
  });
});
