/**
 * Where the backend checks look: the host ports of the compose file the real recipes write, including a port the
 * sampling step moved (Jaeger's 4318 → 14318 when a Collector takes 4318 in front of it). No servers: pure reading.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBackendTarget } from '../../../src/verify/checks/backend/backend-target.js';
import { composeFacts } from '../../../src/verify/checks/backend/compose-ports.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { checkContext } from './helpers.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

describe('backend endpoints from the compose file', () => {
  it('honours the OTLP port the sampling step moved for Jaeger (14318), and the Collector is not the probe target', async () => {
    root = await makeSampleRepo({});
    await cp(path.resolve('examples/shop'), root, { recursive: true });
    const inputs = { backend: 'jaeger', 'tail-sampling': 'errors' };
    await applyIn(root, (await planIn(root, 'backend', inputs, { tools: ['docker'] })).proposals);
    await applyIn(root, (await planIn(root, 'sampling', inputs, { tools: ['docker'] })).proposals);
    const target = await resolveBackendTarget(await checkContext(root, inputs), {});
    const http = target.role('otlpHttp');
    expect(http?.ok && http.endpoint.url).toBe('http://127.0.0.1:14318');
    expect(http?.ok && http.endpoint.composeService).toBe('jaeger');
    const ui = target.role('jaeger');
    expect(ui?.ok && ui.endpoint.url).toBe('http://127.0.0.1:16686');
    expect(ui?.ok && ui.endpoint.start).toBe('docker compose up -d jaeger');
  });

  it('reads short, ranged, ip-bound and long port syntax', () => {
    const read = composeFacts(
      'compose.yaml',
      [
        'services:',
        '  tempo:',
        '    image: grafana/tempo:2.10.8',
        '    ports:',
        '      - "127.0.0.1:13200:3200"',
        '      - "4317-4318:4317-4318"',
        '      - target: 9095',
        '        published: 19095',
        '      - "6831:6831/udp"',
        '',
      ].join('\n'),
    );
    expect(read?.ok).toBe(true);
    const ports = read?.ok ? read.compose.services[0]!.ports : [];
    expect(ports.map((p) => [p.host, p.container, p.protocol, p.ip])).toEqual([
      [13200, 3200, 'tcp', '127.0.0.1'],
      [4317, 4317, 'tcp', undefined],
      [4318, 4318, 'tcp', undefined],
      [19095, 9095, 'tcp', undefined],
      [6831, 6831, 'udp', undefined],
    ]);
    expect(ports[0]!.line).toBe(5);
  });

  it('reports a compose file that does not parse', () => {
    const read = composeFacts('compose.yaml', 'services:\n  jaeger: [\n');
    expect(read?.ok).toBe(false);
  });
});
