/**
 * Step 1 (backend) on a copy of the bundled demo and on small sample repos: the generated compose files and configs are
 * checked by schema and structure (Docker, Jaeger and Tempo do not run here), applied through the real apply engine,
 * re-planned (nothing left to do) and undone to the exact bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { removeSampleRepo, makeSampleRepo } from '../../helpers/sample-repo.js';
import {
  applyIn,
  byId,
  contentOf,
  copyShop,
  noteText,
  pathOf,
  planBackend,
  snapshot,
  undoIn,
  yamlOf,
} from './harness.js';
import { ComposeFileSchema, hostPorts } from './compose-schema.js';
import { CollectorConfigSchema } from './collector-schema.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});
async function shop(): Promise<string> {
  const dir = await copyShop();
  dirs.push(dir);
  return dir;
}
async function sample(files: Record<string, string>): Promise<string> {
  const dir = await makeSampleRepo(files);
  dirs.push(dir);
  return dir;
}

function validCompose(text: string) {
  expect(text).not.toMatch(/^version\s*:/m);
  const file = ComposeFileSchema.parse(parse(text));
  hostPorts(file); // throws on a host port published twice
  return file;
}

describe('backend step: jaeger', () => {
  it('creates a compose file with a pinned Jaeger v2 image, OTLP and UI ports, no v1 agent ports', async () => {
    const root = await shop();
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' });
    const compose = byId(proposals, 'compose');
    expect(compose.change.kind).toBe('create');
    expect(pathOf(compose)).toBe('compose.yaml');
    const file = validCompose(contentOf(compose));
    expect(file.services.jaeger!.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(file.services.jaeger!.ports).toEqual(['16686:16686', '4317:4317', '4318:4318']);
    expect(contentOf(compose)).not.toMatch(/6831|6832|5775|\/udp|all-in-one/);
    expect(noteText(byId(proposals, 'start-backend'))).toContain('http://localhost:16686');
    expect(proposals.some((p) => p.id === 'docker-missing')).toBe(false);
  });

  it('applies, has nothing left to propose, and undoes to the exact bytes', async () => {
    const root = await shop();
    const before = await snapshot(root);
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' });
    const writes = await applyIn(root, proposals);
    expect(await readFile(path.join(root, 'compose.yaml'), 'utf8')).toBe(contentOf(byId(proposals, 'compose')));
    expect(await planBackend(root, 'backend', { backend: 'jaeger' })).toEqual([]);
    await undoIn(root, writes);
    expect(await snapshot(root)).toEqual(before);
  });

  it('merges into an existing compose file: comments, order and other services kept; taken ports moved and explained', async () => {
    const existing = [
      '# our dev stack',
      'services:',
      '  db:',
      '    image: postgres:17 # keep this pin',
      '    ports:',
      '      - "5432:5432"',
      '  agent:',
      '    image: otel/opentelemetry-collector:0.152.1',
      '    ports:',
      '      - "4317:4317"',
      '',
    ].join('\n');
    const root = await sample({ 'docker-compose.yml': existing });
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' });
    const compose = byId(proposals, 'compose');
    expect(compose.change).toMatchObject({ kind: 'edit', path: 'docker-compose.yml', edits: [{ old: existing }] });
    const text = contentOf(compose);
    expect(text.startsWith(existing.trimEnd())).toBe(true);
    const file = validCompose(text);
    expect(Object.keys(file.services)).toEqual(['db', 'agent', 'jaeger']);
    expect(file.services.jaeger!.ports).toEqual(['16686:16686', '14317:4317', '4318:4318']);
    const start = noteText(byId(proposals, 'start-backend'));
    expect(start).toContain('4317 → 14317');
    expect(start).toContain('gRPC localhost:14317');

    const writes = await applyIn(root, proposals);
    expect(await planBackend(root, 'backend', { backend: 'jaeger' })).toEqual([]);
    await undoIn(root, writes);
    expect(await readFile(path.join(root, 'docker-compose.yml'), 'utf8')).toBe(existing);
  });

  it('reports a malformed compose file with line and column and leaves it alone', async () => {
    const broken = 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"\n';
    const root = await sample({ 'compose.yaml': broken });
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' });
    expect(proposals.filter((p) => p.change.kind !== 'note')).toEqual([]);
    const text = noteText(byId(proposals, 'compose-unreadable'));
    expect(text).toMatch(/compose\.yaml could not be parsed \(line \d+, column \d+: /);
    expect(text).toContain('jaegertracing/jaeger:2.');
  });

  it('proposes a migration instead of a second Jaeger next to a v1 all-in-one service', async () => {
    const root = await sample({
      'compose.yaml':
        'services:\n  tracing:\n    image: jaegertracing/all-in-one:1.62.0\n    ports:\n      - "6831:6831/udp"\n      - "16686:16686"\n',
    });
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' });
    expect(proposals.map((p) => p.id)).toEqual(['jaeger-v1-found']);
    expect(noteText(proposals[0]!)).toContain('jaegertracing/jaeger:2.15.0');
  });

  it('still proposes the files without Docker, with a note on getting it or choosing local', async () => {
    const root = await shop();
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' }, []);
    expect(byId(proposals, 'compose').change.kind).toBe('create');
    const text = noteText(byId(proposals, 'docker-missing'));
    expect(text).toContain('https://docs.docker.com/get-docker/');
    expect(text).toContain('local');
  });
});

describe('backend step: tempo', () => {
  it("writes Tempo, Prometheus and Grafana with current settings and moves Grafana off the gateway's port 3000", async () => {
    const root = await shop();
    const proposals = await planBackend(root, 'backend', { backend: 'tempo' });
    const file = validCompose(contentOf(byId(proposals, 'compose')));
    expect(file.services.tempo!.image).toMatch(/^grafana\/tempo:2\.10\.\d+$/);
    expect(file.services.tempo!.command).toEqual(['-config.file=/etc/tempo.yaml', '-target=all']);
    expect(file.services.tempo!.volumes).toContain('./observability/tempo.yaml:/etc/tempo.yaml:ro');
    expect(file.services.prometheus!.command).toEqual(
      expect.arrayContaining(['--web.enable-remote-write-receiver', '--enable-feature=exemplar-storage']),
    );
    expect(file.services.grafana!.ports).toEqual(['13000:3000']);
    expect(noteText(byId(proposals, 'start-backend'))).toContain('http://localhost:13000');

    const tempo = yamlOf(byId(proposals, 'config-tempo')) as Record<string, any>;
    expect(tempo.stream_over_http_enabled).toBe(true);
    expect(tempo.server.http_listen_port).toBe(3200);
    expect(tempo.distributor.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: '0.0.0.0:4317' },
      http: { endpoint: '0.0.0.0:4318' },
    });
    expect(tempo.compactor.compaction.block_retention).toMatch(/^\d+h$/);
    expect(tempo.storage.trace.backend).toBe('local');
    expect(tempo.storage.trace.local.path).toMatch(/^\/var\/tempo\//);
    expect(tempo.storage.trace.wal.path).toMatch(/^\/var\/tempo\//);

    const s3Text = contentOf(byId(proposals, 'config-tempo-s3'));
    const s3 = parse(s3Text) as Record<string, any>;
    expect(s3.storage.trace.backend).toBe('s3');
    expect(s3.storage.trace.s3.bucket).toBe('${TEMPO_S3_BUCKET}');
    expect(s3.storage.trace.s3).not.toHaveProperty('access_key');
    expect(s3.storage.trace.s3).not.toHaveProperty('secret_key');
    expect(s3Text).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(s3Text).toContain('-config.expand-env=true');

    const sources = yamlOf(byId(proposals, 'config-datasources')) as { datasources: Array<Record<string, unknown>> };
    expect(sources.datasources.map((d) => [d.type, d.uid, d.url])).toEqual([
      ['tempo', 'tempo', 'http://tempo:3200'],
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
    ]);
    expect((yamlOf(byId(proposals, 'config-prometheus')) as any).scrape_configs).toBeDefined();
  });

  it('applies, re-plans to nothing, undoes to the exact bytes', async () => {
    const root = await shop();
    const before = await snapshot(root);
    const writes = await applyIn(root, await planBackend(root, 'backend', { backend: 'tempo' }));
    expect(await planBackend(root, 'backend', { backend: 'tempo' })).toEqual([]);
    await undoIn(root, writes);
    expect(await snapshot(root)).toEqual(before);
  });
});

describe('backend step: zipkin', () => {
  it('puts an OpenTelemetry Collector (OTLP in, Zipkin out) in front of Zipkin', async () => {
    const root = await shop();
    const proposals = await planBackend(root, 'backend', { backend: 'zipkin' });
    const file = validCompose(contentOf(byId(proposals, 'compose')));
    expect(file.services['otel-collector']!.image).toMatch(/^otel\/opentelemetry-collector-contrib:0\.\d+\.\d+$/);
    expect(file.services['otel-collector']!.ports).toEqual(['4317:4317', '4318:4318']);
    expect(file.services.zipkin!.ports).toEqual(['9411:9411']);
    const config = CollectorConfigSchema.parse(yamlOf(byId(proposals, 'config-otel-collector')));
    expect(config.exporters.zipkin).toEqual({ endpoint: 'http://zipkin:9411/api/v2/spans' });
    expect(config.receivers.otlp).toEqual({
      protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } },
    });
    expect(config.service.pipelines.traces!.exporters).toEqual(['zipkin']);
  });
});

describe('backend step: vendor and local', () => {
  it('vendor: no containers; endpoint in .env.example, headers left empty, credentials only in the environment', async () => {
    const root = await shop();
    const inputs = {
      backend: 'otlp-vendor',
      'otlp-endpoint': 'https://otlp.vendor.example:4318/v1/traces',
      'otlp-protocol': 'http-protobuf',
    };
    const proposals = await planBackend(root, 'backend', inputs);
    expect(proposals.some((p) => p.change.kind === 'create' && /compose/.test(p.change.path))).toBe(false);
    const env = contentOf(byId(proposals, 'env-example'));
    expect(env).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.vendor.example:4318\n');
    expect(env).toMatch(/^OTEL_EXPORTER_OTLP_HEADERS=$/m);
    const note = noteText(byId(proposals, 'vendor-credentials'));
    expect(note).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    expect(note).toContain('never writes the key');
    await applyIn(root, proposals);
    expect(await planBackend(root, 'backend', inputs)).toEqual([]);
  });

  it('vendor: appends to an existing .env.example instead of replacing it', async () => {
    const root = await sample({ '.env.example': 'PORT=3000' });
    const proposals = await planBackend(root, 'backend', {
      backend: 'otlp-vendor',
      'otlp-endpoint': 'https://otlp.vendor.example',
    });
    await applyIn(root, proposals);
    const text = await readFile(path.join(root, '.env.example'), 'utf8');
    expect(text.startsWith('PORT=3000\n\n# OpenTelemetry export')).toBe(true);
  });

  it('local: only a note about the built-in receiver, nothing that needs Docker', async () => {
    const root = await shop();
    const proposals = await planBackend(root, 'backend', { backend: 'local' }, []);
    expect(proposals.map((p) => p.change.kind)).toEqual(['note']);
    const text = noteText(proposals[0]!);
    expect(text).toContain('127.0.0.1:4317');
    expect(text).toContain('127.0.0.1:4318');
    expect(proposals.some((p) => p.id === 'docker-missing')).toBe(false);
  });
});

describe('compose file names', () => {
  it('uses the compose file Compose itself would pick (compose.yaml before docker-compose.yml)', async () => {
    const root = await sample({
      'docker-compose.yml': 'services: {}\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n',
    });
    const proposals = await planBackend(root, 'backend', { backend: 'jaeger' });
    expect(pathOf(byId(proposals, 'compose'))).toBe('compose.yaml');
    await writeFile(path.join(root, 'compose.yaml'), contentOf(byId(proposals, 'compose')));
    expect(await planBackend(root, 'backend', { backend: 'jaeger' })).toEqual([]);
  });
});
