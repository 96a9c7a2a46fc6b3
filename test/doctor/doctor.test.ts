/**
 * For each cause: a real Node service that has the fault, and the doctor naming that cause and no other; the same
 * service fixed, and the doctor finding nothing (with spans having arrived).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/diagnose.js';
import { previewProposals } from '../../src/edit/preview.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import type { RuntimeRunOptions } from '../../src/verify/runtime/runtime-run.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { fixtureContext, type FixtureContext } from '../checks/runtime/node-fixture.js';
import { makeDoctorRepo, type DoctorService } from './doctor-fixture.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function doctor(service: Omit<DoctorService, 'port'>, options: RuntimeRunOptions = {}) {
  const root = await makeDoctorRepo({ port: await freePort(), ...service });
  cleanup.push(() => removeSampleRepo(root));
  const fixture: FixtureContext = await fixtureContext(
    root,
    {},
    { ports: 'free', spanTimeoutMs: 4_000, settleMs: 500, ...options },
  );
  cleanup.push(() => fixture.close());
  const diagnosis = await diagnose(fixture.ctx);
  return { root, diagnosis };
}

describe('trace-guide doctor', { timeout: 60_000 }, () => {
  it('names an HTTP exporter pointed at the gRPC port, from what arrived there, with the endpoint edit', async () => {
    const grpcPort = await freePort();
    const { root, diagnosis } = await doctor(
      { serviceName: 'svc', exporterUrl: `http://127.0.0.1:${grpcPort}/v1/traces` },
      { receiverGrpcPort: grpcPort },
    );
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['exporter-endpoint-mismatch']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(
      /HTTP\/1\.1 request POST \/v1\/traces.*arrived at the OTLP\/gRPC port/,
    );
    const lines = (await readFile(path.join(root, 'svc/server.js'), 'utf8')).split('\n');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        file: 'svc/server.js',
        line: lines.findIndex((l) => l.includes('OTLPTraceExporter({ url')) + 1,
      }),
    );
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain(
      `+  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: 'http://127.0.0.1:4318/v1/traces' }))],`,
    );
  });

  it('keeps a local endpoint the code sets itself (the doctor run), so an HTTP default at the gRPC port shows', async () => {
    const grpcPort = await freePort();
    const httpPort = await freePort();
    const { root, diagnosis } = await doctor(
      { serviceName: 'svc', endpointDefault: `http://localhost:${grpcPort}` },
      { receiverGrpcPort: grpcPort, receiverHttpPort: httpPort, exporterEndpoint: 'keep-local' },
    );
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['exporter-endpoint-mismatch']);
    const [f] = diagnosis.findings;
    expect(f!.confidence).toBe('high');
    expect(f!.evidence.map((e) => e.note).join('\n')).toMatch(/arrived at the OTLP\/gRPC port/);
    const [preview] = await previewProposals(root, f!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain(`+process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= 'http://localhost:4318';`);
  });

  it('the same code default is masked by the ordinary check run, which points every service at the receiver', async () => {
    const grpcPort = await freePort();
    const { diagnosis } = await doctor(
      { serviceName: 'svc', endpointDefault: `http://localhost:${grpcPort}` },
      { receiverGrpcPort: grpcPort },
    );
    // The environment wins over the `??=` default, so the spans arrive and the fault stays hidden: why the doctor keeps it.
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
  });

  it('names no propagator when the SERVER span of a request with a traceparent is a new root', async () => {
    const { root, diagnosis } = await doctor({ serviceName: 'svc', propagator: false });
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['no-propagator']);
    expect(diagnosis.findings[0]!.evidence[0]!.note).toMatch(/arrived as a new root/);
    const [preview] = await previewProposals(root, diagnosis.findings[0]!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain(
      "setGlobalPropagator(new (require('@opentelemetry/core').W3CTraceContextPropagator)())",
    );
  });

  it('names a missing service.name when spans arrive as unknown_service', async () => {
    const { root, diagnosis } = await doctor({});
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['service-name-missing']);
    expect(diagnosis.findings[0]!.summary).toMatch(/unknown_service/);
    const [preview] = await previewProposals(root, diagnosis.findings[0]!.proposals);
    expect(preview?.problem).toBeUndefined();
    expect(preview?.text).toContain('+process.env.OTEL_SERVICE_NAME ??= "svc";');
  });

  it('finds nothing on the same service fixed, and only after spans arrived', async () => {
    const { diagnosis } = await doctor({ serviceName: 'svc' });
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
  });
});
