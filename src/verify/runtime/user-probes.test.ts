import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TraceGuideError } from '../../core/errors.js';
import type { Service } from '../../types/scan.js';
import { reachedRoute } from './probe-request.js';
import { checkProbeServices, parseProbes, probesForService, statedProbes } from './user-probes.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function repoWithProbesFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'probes-'));
  dirs.push(dir);
  await mkdir(path.join(dir, '.trace-guide'));
  await writeFile(path.join(dir, '.trace-guide', 'probes.yaml'), text);
  return dir;
}

function svc(id: string): Service {
  return {
    id,
    name: id,
    root: id,
    language: 'node',
    manifest: `${id}/package.json`,
    frameworks: [],
    httpClients: [],
    queueClients: [],
    dbClients: [],
    logging: [],
    tracing: [],
  };
}

function errorOf(fn: () => unknown): TraceGuideError {
  try {
    fn();
  } catch (error) {
    return error as TraceGuideError;
  }
  throw new Error('expected an error');
}

describe('stated probes', () => {
  it('reads the shorthand: method, path with query, expected status', () => {
    expect(parseProbes('GET /forecast?api-key=demo -> 200', 'the probes input')).toEqual([
      {
        method: 'GET',
        pathWithQuery: '/forecast?api-key=demo',
        headers: {},
        expectedStatus: 200,
        origin: 'the probes input #1',
      },
    ]);
    expect(parseProbes('[/a, post /b -> 201]', 'x').map((p) => [p.method, p.pathWithQuery, p.expectedStatus])).toEqual([
      ['GET', '/a', undefined],
      ['POST', '/b', 201],
    ]);
  });

  it('reads mappings: query merged into the path, headers, service', () => {
    const [probe] = parseProbes(
      '- service: api\n  path: /v1/items?page=2\n  query: { api-key: k1 }\n  headers: { x-token: t }\n  status: 200\n',
      'x',
    );
    expect(probe).toMatchObject({
      service: 'api',
      method: 'GET',
      pathWithQuery: '/v1/items?page=2&api-key=k1',
      headers: { 'x-token': 't' },
      expectedStatus: 200,
    });
  });

  it('a malformed file is an input error naming the file and the line', async () => {
    const bad = await repoWithProbesFile('probes:\n  - path: /ok\n  - path: no-slash\n');
    const error = errorOf(() => statedProbes(bad, undefined));
    expect(error.kind).toBe('input');
    expect(error.message).toMatch(/^\.trace-guide\/probes\.yaml:3: .*path starting with \//);

    const broken = await repoWithProbesFile('probes:\n  - path: /ok\n    query: { a: 1\n');
    expect(errorOf(() => statedProbes(broken, undefined)).message).toMatch(
      /^\.trace-guide\/probes\.yaml:\d+: not valid YAML/,
    );

    const unknownKey = await repoWithProbesFile('probes:\n  - path: /ok\n    stauts: 200\n');
    expect(errorOf(() => statedProbes(unknownKey, undefined)).message).toMatch(
      /^\.trace-guide\/probes\.yaml:2: .*stauts/,
    );
  });

  it('input probes and file probes are both used; no file is no probes', async () => {
    const dir = await repoWithProbesFile('probes:\n  - GET /from-file\n');
    expect(statedProbes(dir, 'GET /from-input').map((p) => p.pathWithQuery)).toEqual(['/from-input', '/from-file']);
    const empty = await mkdtemp(path.join(tmpdir(), 'probes-'));
    dirs.push(empty);
    expect(statedProbes(empty, '')).toEqual([]);
  });

  it('a probe naming no service goes to the only service; with several, only named probes are sent', () => {
    const stated = parseProbes('[/any, {service: web, path: /web}]', 'x');
    expect(probesForService(stated, svc('web'), true).map((p) => p.pathWithQuery)).toEqual(['/any', '/web']);
    expect(probesForService(stated, svc('web'), false).map((p) => p.pathWithQuery)).toEqual(['/web']);
    expect(probesForService(stated, svc('api'), false)).toEqual([]);
  });

  it('a 404, or a status other than the stated one, is not a probed route', () => {
    expect(reachedRoute({ status: 200 })).toBe(true);
    expect(reachedRoute({ status: 500 })).toBe(true);
    expect(reachedRoute({ status: 404 })).toBe(false);
    expect(reachedRoute({})).toBe(false);
    expect(reachedRoute({ status: 400, expectedStatus: 200 })).toBe(false);
    expect(reachedRoute({ status: 200, expectedStatus: 200 })).toBe(true);
  });
});

describe('stated probes: messages', () => {
  it('a malformed shorthand says the expected form, not that a string was expected', () => {
    expect(() => parseProbes('GET auth', 'the probes input')).toThrow(
      /^the probes input:1: expected "\[METHOD\] \/path\[\?query\] \[-> STATUS\]", got "GET auth"/,
    );
  });
});

describe('stated probes: services', () => {
  it('a probe for a service that is not chosen, or for no service among several, is an input error', () => {
    const one = parseProbes('[{service: web, path: /a}]', 'the probes input');
    expect(() => checkProbeServices(one, [svc('api')])).toThrow(
      /the probes input #1 names the service "web", which is not a chosen service/,
    );
    expect(() => checkProbeServices(parseProbes('/a', 'x'), [svc('api'), svc('web')])).toThrow(
      /x #1 names no service, and 2 services are chosen/,
    );
    expect(() => checkProbeServices(one, [svc('api'), svc('web')])).not.toThrow();
  });
});
