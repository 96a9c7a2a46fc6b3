#!/usr/bin/env node
// Bench for the built-in OTLP receiver against the OpenTelemetry Collector (an OTLP receiver and a nop exporter, built
// here from the Go module proxy at one release) on the same payloads, in one run. For each, a second process (this
// script forked in sender mode) posts pre-encoded OTLP/HTTP protobuf batches as fast as it can for N seconds, over
// keep-alive connections with a few requests in flight. Prints spans/s over the sender's window, the receiver's CPU
// seconds per million spans (from /proc, the same way for both) and its peak RSS (VmHWM), each beside the Collector's.
// The built-in receiver runs in this process (one Node thread) with the store's default caps unless --max-spans /
// --max-bytes say otherwise. Targets: at least 2x the Collector's spans/s, peak RSS at most 100 MB. Then 51 spans with
// a 4 MB attribute each go to a fresh receiver: the store's retained-byte estimate and the JS heap growth show that
// oversized values are cut on arrival.
//
//   npm run build && node bench/receiver.mjs [--seconds 10] [--batch 512] [--inflight 4] [--max-spans N] [--max-bytes N]
//                                            [--no-collector]
//
// The Collector is built once into $TMPDIR/trace-guide-bench-otelcol-<version>/ (go get + go build: minutes on a cold
// module cache); without Go, or when the build fails, that half is skipped with the reason.
// Imports the compiled receiver from ../dist/verify/receiver/.
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SECONDS = arg('seconds', 10);
const BATCH = arg('batch', 512);
const INFLIGHT = arg('inflight', 4);
const MAX_SPANS = arg('max-spans', undefined);
const MAX_BYTES = arg('max-bytes', undefined);
const WITH_COLLECTOR = !process.argv.includes('--no-collector');
const COLLECTOR_VERSION = 'v0.165.0';
const DISTINCT_BATCHES = 32;

const dist = (file) => new URL(`../dist/verify/receiver/${file}`, import.meta.url).href;

/** A realistic batch: one service, traces of 4 spans (server root, two clients, one internal), semconv attributes. */
async function encodeBatches() {
  const { ExportTraceServiceRequestType } = await import(dist('otlp-schema.js'));
  const str = (key, value) => ({ key, value: { stringValue: value } });
  const int = (key, value) => ({ key, value: { intValue: value } });
  const batches = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  for (let b = 0; b < DISTINCT_BATCHES; b++) {
    const spans = [];
    let traceId;
    let rootId;
    for (let i = 0; i < BATCH; i++) {
      if (i % 4 === 0) {
        traceId = randomBytes(16);
        rootId = randomBytes(8);
      }
      const isRoot = i % 4 === 0;
      const start = now + BigInt(i) * 1_000_000n;
      spans.push({
        traceId,
        spanId: isRoot ? rootId : randomBytes(8),
        parentSpanId: isRoot ? undefined : rootId,
        name: isRoot ? 'GET /api/orders/:id' : i % 4 === 3 ? 'price order' : 'SELECT orders',
        kind: isRoot ? 2 : i % 4 === 3 ? 1 : 3,
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + 2_500_000n).toString(),
        attributes: isRoot
          ? [
              str('http.request.method', 'GET'),
              str('url.path', `/api/orders/${i}`),
              str('http.route', '/api/orders/:id'),
              int('http.response.status_code', 200),
              str('server.address', 'orders.internal'),
              int('server.port', 8080),
              str('user_agent.original', 'curl/8.5.0'),
              str('order.id', `ord-${b}-${i}`),
            ]
          : [
              str('db.system.name', 'postgresql'),
              str('db.query.text', 'SELECT * FROM orders WHERE id = $1'),
              str('db.operation.name', 'SELECT'),
              str('server.address', 'db.internal'),
              int('server.port', 5432),
            ],
        status: i % 97 === 0 ? { code: 2, message: 'timeout' } : { code: 0 },
      });
    }
    const request = ExportTraceServiceRequestType.fromObject({
      resourceSpans: [
        {
          resource: {
            attributes: [
              str('service.name', 'orders'),
              str('service.version', '1.4.2'),
              str('telemetry.sdk.language', 'nodejs'),
              str('telemetry.sdk.name', 'opentelemetry'),
              str('telemetry.sdk.version', '2.2.0'),
            ],
          },
          scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.208.0' }, spans }],
        },
      ],
    });
    batches.push(Buffer.from(ExportTraceServiceRequestType.encode(request).finish()));
  }
  return batches;
}

async function runSender(url) {
  const batches = await encodeBatches();
  const agent = new http.Agent({ keepAlive: true, maxSockets: INFLIGHT });
  const target = new URL(url);
  // Encoded and connected: wait for the driver's go, so its CPU reading starts with the load.
  process.send({ ready: true });
  await new Promise((resolve) => process.once('message', resolve));
  const startedAt = performance.now();
  const deadline = Date.now() + SECONDS * 1000;
  let sent = 0;
  let failed = 0;
  const post = (body) =>
    new Promise((resolve) => {
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: '/v1/traces',
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (response) => {
          if (response.statusCode !== 200) failed++;
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('error', () => {
        failed++;
        resolve();
      });
      request.end(body);
    });
  const lane = async (offset) => {
    for (let i = offset; Date.now() < deadline; i += INFLIGHT) {
      await post(batches[i % batches.length]);
      sent++;
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, (_, i) => lane(i)));
  agent.destroy();
  process.send({
    requests: sent,
    failed,
    bodyBytes: batches[0].length,
    seconds: (performance.now() - startedAt) / 1000,
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size of a process so far (VmHWM), in bytes. */
function peakRssOf(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}

/**
 * Runs the sender against `url` while measuring the process `pid`: CPU over the sender's window (from when its batches
 * are encoded and it starts posting, to its last answer). Returns the sender's report with `cpuSeconds`.
 */
async function drive(url, pid) {
  const sender = fork(new URL(import.meta.url).pathname, ['--sender', url, ...process.argv.slice(2)]);
  const exited = new Promise((_, reject) =>
    sender.once('exit', (code) => code !== 0 && reject(new Error(`the sender exited with ${code}`))),
  );
  const message = () => Promise.race([new Promise((resolve) => sender.once('message', resolve)), exited]);
  await message();
  const cpuBefore = cpuSecondsOf(pid);
  sender.send('go');
  const report = await message();
  return { ...report, cpuSeconds: cpuSecondsOf(pid) - cpuBefore };
}

async function runReceiverSide() {
  const { startReceiver } = await import(dist('receiver.js'));
  const caps = {
    ...(MAX_SPANS === undefined ? {} : { maxSpans: MAX_SPANS }),
    ...(MAX_BYTES === undefined ? {} : { maxBytes: MAX_BYTES }),
  };
  const receiver = await startReceiver({ httpPort: 0, grpcPort: 0, ...caps });
  const store = receiver.store;
  const ours = await drive(receiver.httpEndpoint, process.pid);
  const oursPeak = peakRssOf(process.pid);
  const end = process.memoryUsage();
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const perSecond = (n) => Math.round(n).toLocaleString('en-US');
  const limits = store.limitsReport();
  console.log(
    `receiver bench: ${SECONDS} s per receiver, batches of ${BATCH} spans (${ours.bodyBytes} bytes), ${INFLIGHT} in flight`,
  );
  console.log(
    `built-in receiver (caps ${limits.maxSpans.toLocaleString('en-US')} spans, ${(limits.maxBytes / 1024 / 1024).toFixed(0)} MiB${MAX_SPANS === undefined && MAX_BYTES === undefined ? ', the defaults' : ''}):`,
  );
  console.log(
    `  requests      ${ours.requests} (${ours.failed} failed); spans ${store.receivedCount} accepted, ${store.spanCount} kept, ${store.droppedCount} dropped`,
  );
  console.log(
    `  store         retained estimate ${mb(limits.retainedBytes)}; JS heap ${mb(end.heapUsed)} used of ${mb(end.heapTotal)}, outside it (Buffers) ${mb(end.external)}`,
  );
  await receiver.close();
  const oursRate = store.receivedCount / ours.seconds;
  const oursCpu = ours.cpuSeconds / (store.receivedCount / 1e6);
  const collector = WITH_COLLECTOR ? await runCollector() : { skipped: 'skipped (--no-collector)' };
  const row = (label, a, b, unit, ratio) =>
    console.log(`  ${label.padEnd(22)} ${a.padStart(12)}   ${b.padStart(12)}   ${unit}${ratio ? `   ${ratio}` : ''}`);
  console.log(`side by side (built-in vs Collector ${COLLECTOR_VERSION}, OTLP/HTTP receiver -> nop exporter):`);
  if (collector.skipped) {
    console.log(`  Collector: ${collector.skipped}`);
    row('spans/s', perSecond(oursRate), '-', '(target >= 2x the Collector)');
    row('CPU-s per 1M spans', oursCpu.toFixed(2), '-', '');
    row('peak RSS', mb(oursPeak), '-', '(target <= 100 MB)');
  } else {
    const theirRate = collector.spans / collector.seconds;
    const theirCpu = collector.cpuSeconds / (collector.spans / 1e6);
    row(
      'spans/s',
      perSecond(oursRate),
      perSecond(theirRate),
      '',
      `${(oursRate / theirRate).toFixed(2)}x (target >= 2x)`,
    );
    row('CPU-s per 1M spans', oursCpu.toFixed(2), theirCpu.toFixed(2), '', `${(oursCpu / theirCpu).toFixed(2)}x`);
    row('peak RSS', mb(oursPeak), mb(collector.peakRss), '', `(target <= 100 MB for the built-in receiver)`);
    if (collector.failed > 0) console.log(`  the Collector answered ${collector.failed} request(s) with an error`);
  }
  await hugeAttributes();
}

const COLLECTOR_MAIN = `package main

import (
	"log"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/nopexporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"
)

func factories() (otelcol.Factories, error) {
	receivers, err := otelcol.MakeFactoryMap[receiver.Factory](otlpreceiver.NewFactory())
	if err != nil {
		return otelcol.Factories{}, err
	}
	exporters, err := otelcol.MakeFactoryMap[exporter.Factory](nopexporter.NewFactory())
	if err != nil {
		return otelcol.Factories{}, err
	}
	return otelcol.Factories{Receivers: receivers, Exporters: exporters, Telemetry: otelconftelemetry.NewFactory()}, nil
}

func main() {
	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{Command: "bench-otelcol", Description: "OTLP receiver and nop exporter", Version: "bench"},
		Factories: factories,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{ProviderFactories: []confmap.ProviderFactory{fileprovider.NewFactory()}, DefaultScheme: "file"},
		},
	}
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatal(err)
	}
}
`;

/** Builds the Collector once (cached by version); returns the binary's path, or throws with the reason. */
function buildCollector() {
  const dir = path.join(tmpdir(), `trace-guide-bench-otelcol-${COLLECTOR_VERSION}`);
  const binary = path.join(dir, 'otelcol');
  if (existsSync(binary)) return binary;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('Go is not installed here');
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'main.go'), COLLECTOR_MAIN);
  writeFileSync(path.join(dir, 'go.mod'), 'module benchotelcol\n\ngo 1.25\n');
  const go = (...args) =>
    execFileSync('go', args, {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    });
  console.log(`building the Collector ${COLLECTOR_VERSION} in ${dir} (once; minutes on a cold Go cache)...`);
  go(
    'get',
    `go.opentelemetry.io/collector/otelcol@${COLLECTOR_VERSION}`,
    `go.opentelemetry.io/collector/receiver/otlpreceiver@${COLLECTOR_VERSION}`,
    `go.opentelemetry.io/collector/exporter/nopexporter@${COLLECTOR_VERSION}`,
  );
  go('mod', 'tidy');
  go('build', '-o', 'otelcol.tmp', '.');
  execFileSync('mv', [path.join(dir, 'otelcol.tmp'), binary]);
  return binary;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs the Collector with an OTLP/HTTP receiver and a nop exporter under the same sender. */
async function runCollector() {
  let binary;
  try {
    binary = buildCollector();
  } catch (error) {
    const stderr = error.stderr ? `: ${String(error.stderr).trim().split('\n').slice(-3).join(' / ')}` : '';
    return { skipped: `not measured (the build failed: ${error.message.split('\n')[0]}${stderr})` };
  }
  const port = await freePort();
  const config = path.join(path.dirname(binary), `config-${port}.yaml`);
  writeFileSync(
    config,
    [
      'receivers:',
      '  otlp:',
      '    protocols:',
      '      http:',
      `        endpoint: 127.0.0.1:${port}`,
      'exporters:',
      '  nop:',
      'service:',
      '  telemetry:',
      '    metrics:',
      '      level: none',
      '  pipelines:',
      '    traces:',
      '      receivers: [otlp]',
      '      exporters: [nop]',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['--config', `file:${config}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Ready when it says so (an event on its log, not a poll).
  await new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk) => {
      log += chunk;
      if (log.includes('Everything is ready')) {
        child.stderr.off('data', onData);
        child.stderr.resume();
        resolve();
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the Collector exited with ${code}: ${log.slice(-500)}`)));
  });
  try {
    const report = await drive(`http://127.0.0.1:${port}`, child.pid);
    return { ...report, spans: (report.requests - report.failed) * BATCH, peakRss: peakRssOf(child.pid) };
  } finally {
    child.kill('SIGTERM');
    rmSync(config, { force: true });
  }
}

/**
 * Spans with 4 MB attribute values (the byte bound, issue 15 item 15): 51 of them posted in 17 requests of 12 MB to a
 * fresh receiver; prints what the store says it retains (values are cut on arrival) and the JS heap after.
 */
async function hugeAttributes() {
  const { startReceiver } = await import(dist('receiver.js'));
  const { ExportTraceServiceRequestType } = await import(dist('otlp-schema.js'));
  const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  const huge = 'x'.repeat(4 * 1024 * 1024);
  const spans = [1, 2, 3].map((n) => ({
    traceId: randomBytes(16),
    spanId: Buffer.from(n.toString(16).padStart(16, '0'), 'hex'),
    name: 'SELECT big',
    kind: 3,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000002500000',
    attributes: [{ key: 'db.query.text', value: { stringValue: huge } }],
  }));
  const body = Buffer.from(
    ExportTraceServiceRequestType.encode(
      ExportTraceServiceRequestType.fromObject({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] },
            scopeSpans: [{ scope: { name: 'bench' }, spans }],
          },
        ],
      }),
    ).finish(),
  );
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 17; i++) {
    const response = await fetch(`${receiver.httpEndpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    await response.arrayBuffer();
  }
  const report = receiver.store.limitsReport();
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `huge values:  ${receiver.store.receivedCount} spans with a 4 MB attribute (${mb(receiver.store.receivedCount * huge.length)} of text)`,
  );
  console.log(
    `  kept ${receiver.store.spanCount}, ${report.truncatedValues} value(s) cut; retained estimate ${mb(report.retainedBytes)} (bound ${mb(report.maxBytes)}); JS heap ${mb(process.memoryUsage().heapUsed - before)} more than before`,
  );
  await receiver.close();
}

if (process.argv[2] === '--sender') await runSender(process.argv[3]);
else await runReceiverSide();
