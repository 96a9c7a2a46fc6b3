/**
 * `--save FILE`: what is written reads back through `score --from`'s reader as the same spans, and bad paths are refused
 * before anything is written.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../test/helpers/cli.js';
import { readSavedRun } from '../score/from-file.js';
import type { ReceivedSpan } from '../verify/receiver/span.js';
import { checkSavePath, saveSnapshot } from './save.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/score/collector-file-export.jsonl');
const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-snapshot-'));
  temp.push(dir);
  return dir;
}
/** The span without the fields that describe its arrival (when and how), not its content. */
const content = ({ receivedAt: _at, receivedVia: _via, ...rest }: ReceivedSpan) => rest;

function span(overrides: Partial<ReceivedSpan>): ReceivedSpan {
  const resource = { 'service.name': 'orders', 'service.version': '1.2.0' };
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: 'GET /orders/:id',
    kind: 'server',
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_250_000_000n,
    durationMs: 250,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: { code: 'unset' },
    resource,
    serviceName: 'orders',
    scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    receivedVia: 'http/json',
    receivedAt: 0,
    ...overrides,
  };
}

describe('saveSnapshot', () => {
  it('writes the Collector file exporter fixture back so that it reads as the same spans', async () => {
    const original = (await readSavedRun(FIXTURE)).input.spans;
    expect(original.length).toBeGreaterThan(0);
    const file = path.join(await tempDir(), 'run.jsonl');
    const saved = await saveSnapshot(file, original);
    expect(saved).toMatchObject({ spans: original.length, traces: new Set(original.map((s) => s.traceId)).size });
    const back = (await readSavedRun(file)).input.spans;
    expect(back.map(content)).toEqual(original.map(content));
  });

  it('keeps every kind of value, events, links, status, parentage and one request per trace', async () => {
    const root = span({
      attributes: {
        'http.route': '/orders/:id',
        'http.response.status_code': 500,
        ratio: 0.25,
        cached: false,
        tags: ['a', 'b'],
        big: '9223372036854775807',
        nested: { k: 1 },
        none: null,
      },
      events: [
        { name: 'exception', timeUnixNano: 1_700_000_000_100_000_000n, attributes: { 'exception.type': 'Error' } },
      ],
      status: { code: 'error', message: 'boom' },
      droppedAttributesCount: 2,
    });
    const child = span({
      spanId: 'c7ad6b7169203332',
      parentSpanId: root.spanId,
      name: 'SELECT orders',
      kind: 'client',
      links: [
        {
          traceId: '1af7651916cd43dd8448eb211c80319c',
          spanId: 'd7ad6b7169203333',
          traceState: 'k=v',
          attributes: { why: 'batch' },
        },
      ],
      scope: { name: '@opentelemetry/instrumentation-pg' },
    });
    const other = span({
      traceId: '2af7651916cd43dd8448eb211c80319c',
      resource: { 'service.name': 'gateway' },
      serviceName: 'gateway',
      kind: 'internal',
      traceState: 'v=1',
    });
    const file = path.join(await tempDir(), 'run.jsonl');
    await saveSnapshot(file, [root, child, other]);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).resourceSpans[0].scopeSpans).toHaveLength(2);
    expect(JSON.parse(lines[0]!).resourceSpans[0].scopeSpans[0].spans[0]).toMatchObject({
      traceId: root.traceId,
      kind: 2,
      startTimeUnixNano: '1700000000000000000',
      status: { code: 2 },
    });
    const back = (await readSavedRun(file)).input.spans;
    expect(back.map(content)).toEqual([root, child, other].map(content));
  });

  it('writes no spans as one empty request that reads back as zero spans', async () => {
    const file = path.join(await tempDir(), 'empty.jsonl');
    await saveSnapshot(file, []);
    expect((await readSavedRun(file)).input.spans).toEqual([]);
  });

  it('keeps a file already there as FILE.bak and leaves no temporary file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'run.jsonl');
    await writeFile(file, 'the earlier run\n');
    const saved = await saveSnapshot(file, [span({})]);
    expect(saved.backup).toBe(`${file}.bak`);
    expect(await readFile(`${file}.bak`, 'utf8')).toBe('the earlier run\n');
    expect((await readSavedRun(file)).input.spans).toHaveLength(1);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).sort()).toEqual(['run.jsonl', 'run.jsonl.bak']);
  });

  it('refuses a directory, a missing folder and a parent that is a file, writing nothing', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'plain'), 'x');
    expect(() => checkSavePath(path.join(dir, 'sub'))).toThrow(/is a directory/);
    await expect(saveSnapshot(path.join(dir, 'sub'), [])).rejects.toThrow(/is a directory/);
    expect(() => checkSavePath(path.join(dir, 'nope', 'run.jsonl'))).toThrow(/the folder .*nope does not exist/);
    expect(() => checkSavePath(path.join(dir, 'plain', 'run.jsonl'))).toThrow(/is not a folder/);
    expect(existsSync(path.join(dir, 'nope'))).toBe(false);
  });
});
