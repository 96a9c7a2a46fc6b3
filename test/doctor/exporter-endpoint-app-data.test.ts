/**
 * Issue 14 item 4: the exporter-endpoint cause reads exporter settings only. An app whose own data has `url:` fields
 * (links to GitHub) and whose tracing works gets no exporter-endpoint finding and no proposal that edits its data; a url
 * given to the exporter itself is still read; and a repo finding the run contradicts (spans arrived through the very
 * endpoint it blames) is dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exporterEndpointCause } from '../../src/doctor/causes/exporter-endpoint.js';
import { exporterOptionUrls } from '../../src/doctor/causes/exporter-endpoint-options.js';
import { diagnose } from '../../src/doctor/diagnose.js';
import { sourceFile } from '../../src/source-reading/code.js';
import { freePort } from '../../src/verify/runtime/ports.js';
import type { RuntimeRun } from '../../src/verify/runtime/runtime-run.js';
import { removeSampleRepo } from '../helpers/sample-repo.js';
import { fixtureContext } from '../checks/runtime/node-fixture.js';
import { makeDoctorRepo } from './doctor-fixture.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const PROJECTS = `const projects = [
  { name: 'otel-js', url: 'https://github.com/open-telemetry/opentelemetry-js' },
  { name: 'otel-python', url: 'https://github.com/open-telemetry/opentelemetry-python' },
  { name: 'otel-go', url: "https://github.com/open-telemetry/opentelemetry-go" },
];
void projects;
`;

describe('exporter-endpoint cause on application data', { timeout: 60_000 }, () => {
  it('finds nothing in `url:` data fields of an app whose spans arrive, and proposes no edit to them', async () => {
    const root = await makeDoctorRepo({ port: await freePort(), serviceName: 'svc', appCode: PROJECTS });
    cleanup.push(() => removeSampleRepo(root));
    const fixture = await fixtureContext(root, {}, { ports: 'free', spanTimeoutMs: 4_000, settleMs: 500 });
    cleanup.push(() => fixture.close());

    expect(await exporterEndpointCause.fromRepo!(fixture.ctx)).toEqual([]);
    const diagnosis = await diagnose(fixture.ctx);
    expect(diagnosis.spansArrived).toBeGreaterThan(0);
    expect(diagnosis.findings.map((f) => f.cause)).not.toContain('exporter-endpoint-mismatch');
    const touched = diagnosis.findings
      .flatMap((f) => f.proposals)
      .flatMap((p) => (p.change.kind === 'edit' ? p.change.edits : []));
    expect(touched.filter((e) => e.old.includes('github.com'))).toEqual([]);
  });

  it('still reads a url given to the exporter itself, and drops that finding when spans arrived through it', async () => {
    const root = await makeDoctorRepo({
      port: await freePort(),
      serviceName: 'svc',
      exporterUrl: 'http://127.0.0.1:4318',
      appCode: PROJECTS,
    });
    cleanup.push(() => removeSampleRepo(root));
    const fixture = await fixtureContext(root);
    const [finding, ...rest] = await exporterEndpointCause.fromRepo!(fixture.ctx);
    expect(rest).toEqual([]);
    expect(finding!.summary).toMatch(/lacks \/v1\/traces/);
    expect(finding!.proposals.map((p) => p.change)).toEqual([
      expect.objectContaining({
        kind: 'edit',
        path: 'svc/server.js',
        edits: [{ old: 'http://127.0.0.1:4318', new: 'http://127.0.0.1:4318/v1/traces' }],
      }),
    ]);

    const service = fixture.ctx.services[0]!;
    const run = (spans: number) =>
      ({
        services: [{ service, status: 'running', env: {}, wiring: [], routes: [] }],
        store: { spans: () => Array.from({ length: spans }, () => ({ serviceName: 'svc' })) },
      }) as unknown as RuntimeRun;
    expect(exporterEndpointCause.refutedBy!(fixture.ctx, run(0), finding!)).toBeUndefined();
    expect(exporterEndpointCause.refutedBy!(fixture.ctx, run(8), finding!)).toMatch(
      /8 span\(s\) arrived from svc through http:\/\/127\.0\.0\.1:4318/,
    );
  });
});

describe('exporterOptionUrls', () => {
  it('reads only the options of an OTLP exporter call, in JavaScript, Python and Go', () => {
    const js = sourceFile(
      'tracing.js',
      'node',
      "const links = { url: 'https://github.com/a/b' };\nconst exporter = new OTLPTraceExporter({\n  headers: { a: fn('x') },\n  url: 'http://collector:4318/v1/traces',\n});\n",
    );
    expect(exporterOptionUrls(js).map((u) => u.url)).toEqual(['http://collector:4318/v1/traces']);
    const py = sourceFile(
      'app.py',
      'python',
      "LINKS = {'url': 'https://github.com/a/b'}\nexporter = OTLPSpanExporter(endpoint='http://collector:4318/v1/traces')\nrequests.get(url='https://github.com/x')\n",
    );
    expect(exporterOptionUrls(py).map((u) => u.url)).toEqual(['http://collector:4318/v1/traces']);
    const go = sourceFile(
      'main.go',
      'go',
      'var home = "https://github.com/a/b"\nexp, _ := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL("http://collector:4318/v1/traces"))\n',
    );
    expect(exporterOptionUrls(go)).toEqual([
      expect.objectContaining({ url: 'http://collector:4318/v1/traces', usedAsIs: false }),
    ]);
  });
});
