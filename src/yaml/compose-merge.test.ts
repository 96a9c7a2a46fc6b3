import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeComposeServices, parseCompose, publishedHostPorts, republishPorts } from './compose-merge.js';
import { hostPortsOfEntry, splitShortSyntax } from '../compose/port-entries.js';
import { alternativePort } from '../edit/free-compose-port.js';

const JAEGER = `services:
  # Jaeger v2
  jaeger:
    image: jaegertracing/jaeger:2.15.0
    ports:
      - "16686:16686" # UI
      - "4317:4317" # OTLP gRPC
      - "4318:4318" # OTLP HTTP
`;

const EXISTING = `# The app's own stack — hand-written.
services:
  db:
    image: postgres:17 # pinned on purpose
    ports:
      - "5432:5432"
  collector:
    image: otel/opentelemetry-collector:0.152.1
    ports:
      - "4317:4317"
      - target: 4318
        published: 4318
volumes:
  pgdata: {}
`;

function merged(current: string | undefined, addition = JAEGER, reserved = new Map<number, string>()) {
  const result = mergeComposeServices(current, addition, { reservedPorts: reserved });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('mergeComposeServices', () => {
  it('keeps comments, order and the other services, and appends the new one', () => {
    const result = merged(EXISTING);
    expect(result.added).toEqual(['jaeger']);
    expect(
      result.text.startsWith(
        "# The app's own stack — hand-written.\nservices:\n  db:\n    image: postgres:17 # pinned on purpose\n",
      ),
    ).toBe(true);
    expect(result.text).toContain('  # Jaeger v2\n  jaeger:');
    const doc = parse(result.text);
    expect(Object.keys(doc.services)).toEqual(['db', 'collector', 'jaeger']);
    expect(doc.volumes).toEqual({ pgdata: {} });
    expect(doc.version).toBeUndefined();
  });

  it('moves a host port another service already publishes (short and long syntax) and reports it', () => {
    const result = merged(EXISTING);
    expect(result.moved).toEqual([
      { service: 'jaeger', from: 4317, to: 14317, takenBy: 'collector' },
      { service: 'jaeger', from: 4318, to: 14318, takenBy: 'collector' },
    ]);
    const ports = parse(result.text).services.jaeger.ports;
    expect(ports).toEqual(['16686:16686', '14317:4317', '14318:4318']);
    expect(result.text).toContain('"14317:4317" # OTLP gRPC');
  });

  it("moves ports reserved outside the file (the repo's own services) in a new file too", () => {
    const result = merged(undefined, JAEGER, new Map([[16686, 'the ui service (port 16686)']]));
    expect(result.moved).toEqual([
      { service: 'jaeger', from: 16686, to: 26686, takenBy: 'the ui service (port 16686)' },
    ]);
    expect(parse(result.text).services.jaeger.ports[0]).toBe('26686:16686');
  });

  it('is idempotent: services already there are left alone and the text is unchanged', () => {
    const once = merged(EXISTING);
    const twice = merged(once.text);
    expect(twice.changed).toBe(false);
    expect(twice.present).toEqual(['jaeger']);
    expect(twice.text).toBe(once.text);
  });

  it('reports a malformed file with line and column instead of rewriting it', () => {
    const broken = 'services:\n  web:\n    image: "nginx\n    ports: [80\n';
    const result = mergeComposeServices(broken, JAEGER);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBeGreaterThanOrEqual(3);
    expect(result.col).toBeGreaterThanOrEqual(1);
  });

  it('rejects a compose file whose services are not a mapping', () => {
    const result = parseCompose('services:\n  - web\n');
    expect(result.ok).toBe(false);
  });

  it("keeps the file's indentation: 4 spaces", () => {
    const styled = 'services:\n    web:\n        image: nginx:1.27\n        ports:\n            - "8080:80"\n';
    const result = merged(styled);
    expect(result.text.startsWith(styled)).toBe(true);
    expect(result.text).toContain(
      '\n    jaeger:\n        image: jaegertracing/jaeger:2.15.0\n        ports:\n            - "16686:16686" # UI\n',
    );
  });

  it("keeps the file's indentation: sequences not indented under their key", () => {
    const styled = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n    - "8080:80"\n';
    const result = merged(styled);
    expect(result.text.startsWith(styled)).toBe(true);
    expect(result.text).toContain('    ports:\n    - "16686:16686" # UI\n');
  });

  it('adds services to a file that has none yet', () => {
    const result = merged('name: shop\n');
    expect(parse(result.text)).toMatchObject({
      name: 'shop',
      services: { jaeger: { image: 'jaegertracing/jaeger:2.15.0' } },
    });
  });
});

describe('republishPorts', () => {
  it('moves the host side of one service and keeps the container side and comments', () => {
    const result = republishPorts(
      JAEGER,
      'jaeger',
      new Map([
        [4317, 14317],
        [4318, 14318],
      ]),
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.text).toContain('- "14317:4317" # OTLP gRPC');
    expect(result.text).toContain('- "16686:16686" # UI');
    const doc = parseCompose(result.text);
    if (!doc.ok) throw new Error(doc.message);
    expect([...publishedHostPorts(doc.doc).keys()].sort()).toEqual([14317, 14318, 16686]);
  });
});

describe('ports', () => {
  it('parses the short syntax', () => {
    expect(splitShortSyntax('127.0.0.1:4317:4317/tcp')).toEqual({
      ip: '127.0.0.1',
      host: '4317',
      container: '4317',
      protocol: 'tcp',
    });
    expect(splitShortSyntax('[::1]:8080:80')).toEqual({
      ip: '[::1]',
      host: '8080',
      container: '80',
      protocol: undefined,
    });
    expect(hostPortsOfEntry('4317')).toEqual([]);
    expect(hostPortsOfEntry(4317)).toEqual([]);
    expect(hostPortsOfEntry('9000-9002:9000-9002')).toEqual([9000, 9001, 9002]);
    expect(hostPortsOfEntry({ target: 80, published: '8080' })).toEqual([8080]);
  });

  it('picks 1xxxx alternatives first, then the next free port', () => {
    expect(alternativePort(4317, new Set([4317]))).toBe(14317);
    expect(alternativePort(4317, new Set([4317, 14317]))).toBe(24317);
    expect(alternativePort(60000, new Set([60000]))).toBe(60001);
  });
});
