/**
 * The runtime run: the built-in OTLP receiver, every chosen service started against it (each on its own port, callers
 * pointed at the started callees), probe requests sent to the routes found in the code, and the spans and log lines
 * that came back — shared by every runtime check of one check run, and stopped by `close()`.
 */
import path from 'node:path';
import type { Service } from '../../types/scan.js';
import { answerOf } from '../../skill/lookup.js';
import type { CheckContext } from '../check.js';
import { startReceiver, type RunningReceiver } from '../receiver/receiver.js';
import type { SpanStore } from '../receiver/span-store.js';
import {
  findEnvReads,
  portVariable,
  targetOfUrlVariable,
  urlVariables,
  wiredValue,
  type WiringTarget,
} from './env-wiring.js';
import { freePort, portTakenReason, strangerListenerReason, waitForPort } from './ports.js';
import { httpRequest, newSpanId, newTraceId, reachedRoute, traceparent, type ProbeRequest } from './probe-request.js';
import { detectGetRoutes, type DetectedRoute } from './route-detection.js';
import { ServiceProcess, type LogLine } from './service-process.js';
import { readDocs, readServiceSources } from './service-sources.js';
import { runSetupCommands, setupCommandsByService } from './setup-commands.js';
import { checkProbeServices, probesForService, statedProbes } from './user-probes.js';
import { proveShutdownFlush, type Launch, type ShutdownProof } from './shutdown-proof.js';
import { projectVenvEnv } from './project-venv-env.js';
import { otelSettings, setting } from '../../source-reading/otel-settings.js';

export type { LogLine } from './service-process.js';

export interface RuntimeRunOptions {
  /**
   * 'scanned' (default): each service listens on the port the scan found, which must be free. 'free': services whose
   * port comes from an environment variable (PORT...) get a free port instead, and their callers are pointed at it.
   */
  ports?: 'scanned' | 'free';
  /** Extra environment for every service (e.g. PATH with a virtual environment first). */
  env?: Record<string, string>;
  /** How long a service may take to accept connections (default 90 s: a first `go run` compiles). */
  startTimeoutMs?: number;
  /** How long to wait for the probes' spans (default 15 s). */
  spanTimeoutMs?: number;
  /** No new span for this long means the services have exported what they had (default 800 ms). */
  settleMs?: number;
  /** Receiver ports (default 4318 / 4317, or free ports when those are taken). */
  receiverHttpPort?: number;
  receiverGrpcPort?: number;
  /** Grace between SIGTERM and SIGKILL when stopping a service (default 3 s). */
  stopGraceMs?: number;
  /**
   * 'receiver' (default): every service is pointed at the receiver. 'keep-local' (the doctor): a service whose repo sets
   * its own OTLP endpoint on this machine (localhost, 127.0.0.1, 0.0.0.0, ::1) keeps it, so a wrong port, path or protocol
   * in an env file or a default in code shows instead of being masked; it is kept only while the receiver holds the
   * ports asked for (the standard 4318 / 4317 unless given), which are what such an endpoint can reach.
   */
  exporterEndpoint?: 'receiver' | 'keep-local';
}

export type ServiceRunStatus = 'running' | 'failed' | 'not-started';

export interface EnvWiring {
  variable: string;
  value: string;
  targetServiceId: string;
  file: string;
  line: number;
}

export interface StartedService {
  service: Service;
  status: ServiceRunStatus;
  /** Why it is not running: "port 3000 is taken by another process (pid 812, python3) — …", the stderr tail of a crash, no start command... */
  reason?: string;
  command?: string;
  /** Process (and process group) id of the started command. */
  pid?: number;
  port?: number;
  /** http://127.0.0.1:PORT (or [::1]) once it accepts connections. */
  baseUrl?: string;
  /** The variables set for it on top of the inherited environment. */
  env: Record<string, string>;
  wiring: EnvWiring[];
  routes: DetectedRoute[];
  /** Set when the service kept its own OTLP endpoint (exporterEndpoint 'keep-local'): what it is and where it is set. */
  ownEndpoint?: { variable: string; url: string; file: string; line: number };
}

export interface Probe {
  serviceId: string;
  url: string;
  path: string;
  /** The registered route pattern, when the probe comes from one. */
  pattern?: string;
  /** 'stated': a probe the user stated (the probes input or .trace-guide/probes.yaml), sent instead of the routes. */
  source: 'route' | 'probe-url' | 'fallback' | 'stated';
  /** The request sent when the user stated it (absent: a GET without extra headers; traceparent is added on top). */
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status the user stated for it; answered otherwise, it is not a probed route (see reachedRoute). */
  expectedStatus?: number;
  /** The route fails on purpose: its trace should carry an error. */
  expectError: boolean;
  /** The trace id of the sampled traceparent sent with the request. */
  traceId: string;
  /** The (never exported) parent span id of that traceparent: the entry service's SERVER span should be its child. */
  parentSpanId: string;
  status?: number;
  error?: string;
  startedAt: number;
  endedAt: number;
  evidence?: { file: string; line: number };
}

export interface BurstResult {
  serviceId: string;
  url: string;
  /** The service.name whose root SERVER spans were counted. */
  serviceName?: string;
  requests: number;
  answered: number;
  /** Distinct traces started by the burst that reached the receiver. */
  kept: number;
  startedAt: number;
  endedAt: number;
  /** Set when the marker request sent after the burst never produced spans (nothing can be concluded). */
  problem?: string;
}

/** Where a runtime run's time went, for `check --json` and bench/first-trace.mjs (milliseconds). */
export interface RuntimeRunTimings {
  /**
   * Per started service: its set-up commands, and from spawn until its port accepted connections (a `go run` compiles
   * in it); `restartsMs` adds up later starts (the shutdown proof's), filled in as they happen.
   */
  services: { serviceId: string; setupMs?: number; startMs?: number; restartsMs?: number }[];
  /** Reading the services' code, choosing ports and wiring, before anything starts. */
  prepareMs: number;
  /** Until every service was started (they start together: the slowest one). */
  startMs: number;
  /** The probe requests, one after another. */
  probeMs: number;
  /** From the last probe until every probe's spans arrived and the services went quiet. */
  waitMs: number;
}

export interface RuntimeRun {
  /** Where the run's time went (absent on runs made by hand, as in tests). */
  timings?: RuntimeRunTimings;
  receiver: { httpPort: number; grpcPort: number; httpEndpoint: string };
  store: SpanStore;
  services: StartedService[];
  probes: Probe[];
  /** From the first probe until the spans settled: spans and log lines in it belong to the probes. */
  probeWindow: { start: number; end: number };
  /** Set when the probes' spans did not all arrive before the deadline. */
  waitProblem?: string;
  /** Output lines of one service (or all), in arrival order. */
  logLines(serviceId?: string): LogLine[];
  /** `requests` GETs without trace context to one healthy route, to measure the sampler's kept share (memoised). */
  burst(requests?: number): Promise<BurstResult>;
  /**
   * Proves, per running service, that a SIGTERM shortly after a request still delivers its spans (the service is
   * started again for it with a long batch schedule delay, then once more as before; memoised). See shutdown-proof.ts.
   */
  shutdownProof(): Promise<ShutdownProof[]>;
  /** Stops every service (SIGTERM to its process group, SIGKILL after the grace) and the receiver. Idempotent. */
  close(): Promise<void>;
}

const INHERITED_OTEL_TO_DROP = [
  'OTEL_SERVICE_NAME',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_TRACES_EXPORTER',
  'OTEL_SDK_DISABLED',
];
const MAX_PROBES_PER_SERVICE = 8;

interface Prepared {
  started: StartedService;
  portVariable?: string;
  urlReads: ReturnType<typeof urlVariables>;
  scannedPort?: number;
}

function serviceNames(service: Service): string[] {
  return [
    ...new Set(
      [service.id, service.name, path.posix.basename(service.name), path.posix.basename(service.root)].filter(
        (n) => n && n !== '.',
      ),
    ),
  ];
}

export async function startRuntimeRun(ctx: CheckContext, options: RuntimeRunOptions = {}): Promise<RuntimeRun> {
  const receiver: RunningReceiver = await startReceiver({
    httpPort: options.receiverHttpPort ?? 4318,
    grpcPort: options.receiverGrpcPort ?? 4317,
    fallbackToFreePorts: true,
  });
  const processes = new Map<string, ServiceProcess>();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all([...processes.values()].map((p) => p.stop(options.stopGraceMs ?? 3_000)));
      await receiver.close();
    })();
    return closing;
  };
  try {
    return await run(ctx, options, receiver, processes, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function run(
  ctx: CheckContext,
  options: RuntimeRunOptions,
  receiver: RunningReceiver,
  processes: Map<string, ServiceProcess>,
  close: () => Promise<void>,
): Promise<RuntimeRun> {
  const store = receiver.store;
  const runStart = Date.now();
  const serviceTimings = new Map<string, RuntimeRunTimings['services'][number]>();
  const timingOf = (serviceId: string) => {
    let t = serviceTimings.get(serviceId);
    if (!t) serviceTimings.set(serviceId, (t = { serviceId }));
    return t;
  };
  const grpc = answerOf(ctx.skill, 'otlp-protocol', ctx.inputs) === 'grpc';

  // 0. What the user stated: probes (input and .trace-guide/probes.yaml) and set-up commands (input); malformed → error.
  const stated = statedProbes(ctx.root, ctx.inputs.probes);
  checkProbeServices(stated, ctx.services);
  const setups = setupCommandsByService(ctx.inputs['setup-commands'], ctx.services);

  // 1. Read each service: routes, the variable holding its port, the URLs of the services it calls.
  const prepared: Prepared[] = [];
  for (const service of ctx.services) {
    const sources = await readServiceSources(ctx.root, service);
    const reads = findEnvReads(sources);
    const routes = detectGetRoutes(service, sources, await readDocs(ctx.root, service));
    const started: StartedService = { service, status: 'not-started', env: {}, wiring: [], routes };
    const portRead = portVariable(reads);
    prepared.push({
      started,
      urlReads: urlVariables(reads),
      // A port variable read in the code; else, for a framework's default port, the variable that moves it (FLASK_RUN_PORT...).
      ...(portRead
        ? { portVariable: portRead.name }
        : service.port?.defaultVariable
          ? { portVariable: service.port.defaultVariable }
          : {}),
      ...(service.port ? { scannedPort: service.port.value } : {}),
    });
  }

  // 2. Decide ports; a scanned port that someone else holds is reported, never probed.
  for (const p of prepared) {
    const { service } = p.started;
    if (!service.start?.command) {
      p.started.reason = `no start command was found for ${service.name}; start it yourself with the OTEL_* variables and re-run the checks`;
      continue;
    }
    p.started.command = service.start.command;
    let port = p.scannedPort;
    const movedByArgument =
      !p.portVariable && service.port?.frameworkDefault ? service.port.defaultArgument : undefined;
    if (p.portVariable && (options.ports === 'free' || port === undefined)) port = await freePort();
    // A framework's default port (flask run's 5000...) chose nobody: when it is taken, its variable moves it to a free one.
    else if (port !== undefined && p.portVariable && service.port?.frameworkDefault && (await portTakenReason(port)))
      port = await freePort();
    // Or the argument that moves it (runserver's address), appended to the command.
    else if (port !== undefined && movedByArgument && (options.ports === 'free' || (await portTakenReason(port)))) {
      port = await freePort();
      p.started.command = `${service.start.command} ${movedByArgument.replace('{port}', String(port))}`;
    }
    if (port === undefined) {
      p.started.reason = `no listening port was found for ${service.name} (neither in the scan nor a PORT variable in its code)`;
      continue;
    }
    const taken = await portTakenReason(port);
    if (taken) {
      p.started.status = 'failed';
      p.started.reason = taken;
      continue;
    }
    p.started.port = port;
  }

  // 3. Environment: the receiver, the port, and the callees' URLs where the code's default would be wrong.
  const targets: WiringTarget[] = prepared
    .filter((p) => p.started.port !== undefined)
    .map((p) => ({
      id: p.started.service.id,
      names: serviceNames(p.started.service),
      port: p.started.port as number,
      ...(p.scannedPort === undefined ? {} : { scannedPort: p.scannedPort }),
    }));
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OTEL_TO_DROP) delete base[name];
  const standardPorts =
    receiver.httpPort === (options.receiverHttpPort ?? 4318) &&
    receiver.grpcPort === (options.receiverGrpcPort ?? 4317);
  for (const p of prepared) {
    if (p.started.port === undefined || p.started.reason) continue;
    const own =
      options.exporterEndpoint === 'keep-local' && standardPorts
        ? await ownLocalEndpoint(ctx, p.started.service)
        : undefined;
    if (own) p.started.ownEndpoint = own;
    const env: Record<string, string> = {
      ...(own
        ? {}
        : {
            OTEL_EXPORTER_OTLP_ENDPOINT: grpc ? receiver.grpcEndpoint : receiver.httpEndpoint,
            OTEL_EXPORTER_OTLP_PROTOCOL: grpc ? 'grpc' : 'http/protobuf',
          }),
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...(p.portVariable ? { [p.portVariable]: String(p.started.port) } : {}),
      // A Python service runs with its project's virtual environment, the one its packages were installed into.
      ...(await projectVenvEnv(ctx.root, p.started.service, options.env?.PATH ?? base.PATH ?? '')),
    };
    for (const read of p.urlReads) {
      const target = targetOfUrlVariable(
        read,
        targets.filter((t) => t.id !== p.started.service.id),
      );
      if (!target) continue;
      const value = wiredValue(read, target);
      if (value === undefined) continue;
      env[read.name] = value;
      p.started.wiring.push({
        variable: read.name,
        value,
        targetServiceId: target.id,
        file: read.file,
        line: read.line,
      });
    }
    p.started.env = env;
  }

  // 4. Start, and wait until each accepts connections (or exits).
  const startTimeout = options.startTimeoutMs ?? 90_000;
  /** Instances replaced by a later start (the shutdown proof's): stopped, their output still read. */
  const retired: ServiceProcess[] = [];
  const stopGraceMs = options.stopGraceMs ?? 3_000;
  const launch = async (s: StartedService, extraEnv: Record<string, string>): Promise<Launch> => {
    if (s.port === undefined || !s.command) return { ok: false, reason: 'it has no start command or port' };
    const spawnedAt = Date.now();
    const proc = new ServiceProcess(s.service.id, s.command, path.resolve(ctx.root, s.service.root), {
      ...base,
      ...options.env,
      ...s.env,
      ...extraEnv,
    });
    const host = await waitForPort(
      s.port,
      Date.now() + startTimeout,
      () => proc.hasExited,
      (wake) => proc.onActivity(wake),
    );
    // The first start is the run's; later ones (the shutdown proof's restarts) add up apart.
    const timing = timingOf(s.service.id);
    if (timing.startMs === undefined) timing.startMs = Date.now() - spawnedAt;
    else timing.restartsMs = (timing.restartsMs ?? 0) + Date.now() - spawnedAt;
    if (host === undefined) {
      const how = proc.hasExited
        ? `exited (${proc.spawnError ? proc.spawnError.message : (proc.exitSignal ?? `code ${proc.exitCode}`)})`
        : `did not listen on port ${s.port} within ${Math.round(startTimeout / 1000)} s`;
      const tail = proc.tail();
      await proc.stop(stopGraceMs);
      return { ok: false, reason: `${s.command} ${how}${tail ? `: ${tail}` : ''}`, proc };
    }
    // What answers must be the started service: a process that took the port meanwhile is never probed.
    const stranger = proc.pid === undefined ? undefined : await strangerListenerReason(s.port, proc.pid);
    if (stranger) {
      await proc.stop(stopGraceMs);
      return { ok: false, reason: stranger, proc };
    }
    return { ok: true, proc, baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${s.port}` };
  };
  /** Makes a launched process the run's instance of the service (the one whose output and state the checks read). */
  const adopt = (s: StartedService, launched: Launch) => {
    const previous = processes.get(s.service.id);
    if (previous && previous !== launched.proc) retired.push(previous);
    if (launched.proc) processes.set(s.service.id, launched.proc);
    if (launched.proc?.pid !== undefined) s.pid = launched.proc.pid;
    if (launched.ok) {
      s.status = 'running';
      s.baseUrl = launched.baseUrl;
    } else {
      s.status = 'failed';
      s.reason = launched.reason;
      delete s.baseUrl;
    }
  };
  const startsAt = Date.now();
  await Promise.all(
    prepared.map(async (p) => {
      const s = p.started;
      if (s.port === undefined || s.reason || !s.command) return;
      const setup = setups.get(s.service.id);
      if (setup) {
        // Once per run, before the first start, through the argv runner (no shell), with the service's environment.
        const setupAt = Date.now();
        const failed = await runSetupCommands(setup, path.resolve(ctx.root, s.service.root), {
          ...base,
          ...options.env,
          ...s.env,
        });
        timingOf(s.service.id).setupMs = Date.now() - setupAt;
        if (failed) {
          s.status = 'failed';
          s.reason = failed;
          return;
        }
      }
      adopt(s, await launch(s, {}));
    }),
  );

  // 5. Probes, one at a time so what each one causes can be told apart.
  const running = prepared.map((p) => p.started).filter((s) => s.status === 'running');
  const probes: Probe[] = [];
  const windowStart = Date.now();
  const send = async (
    s: StartedService,
    plan: Omit<Probe, 'traceId' | 'parentSpanId' | 'startedAt' | 'endedAt' | 'serviceId' | 'url'> & { url?: string },
  ) => {
    const traceId = newTraceId();
    const parentSpanId = newSpanId();
    const url = plan.url ?? `${s.baseUrl}${plan.path}`;
    const probe = { ...plan, serviceId: s.service.id, url, traceId, parentSpanId };
    const outcome = await httpRequest(requestOf(probe, { traceparent: traceparent(traceId, parentSpanId) }));
    probes.push({ ...probe, ...outcome });
  };
  for (const s of running) {
    const mine = probesForService(stated, s.service, ctx.services.length === 1);
    if (mine.length > 0) {
      // The user's probes replace the routes read from the code: they know the keys and headers the routes need.
      for (const p of mine) {
        const path = p.pathWithQuery.split('?')[0]!;
        await send(s, {
          url: `${s.baseUrl}${p.pathWithQuery}`,
          path,
          source: 'stated',
          expectError: p.expectedStatus !== undefined && p.expectedStatus >= 500,
          method: p.method,
          headers: p.headers,
          ...(p.body !== undefined ? { body: p.body } : {}),
          ...(p.expectedStatus !== undefined ? { expectedStatus: p.expectedStatus } : {}),
        });
      }
      continue;
    }
    const routes = s.routes.slice(0, MAX_PROBES_PER_SERVICE);
    for (const route of routes) {
      await send(s, {
        path: route.path,
        pattern: route.pattern,
        source: 'route',
        expectError: route.expectError,
        evidence: { file: route.file, line: route.line },
      });
    }
    if (routes.length === 0) await send(s, { path: '/', source: 'fallback', expectError: false });
  }
  const probeUrl = ctx.inputs['probe-url'];
  if (typeof probeUrl === 'string' && probeUrl.trim() !== '' && running.length > 0) {
    const url = probeUrl.trim();
    const port = Number(new URL(url).port || 80);
    const owner = running.find((s) => s.port === port) ?? (running[0] as StartedService);
    await send(owner, { url, path: new URL(url).pathname, source: 'probe-url', expectError: false });
  }

  const probesEndAt = Date.now();

  // 6. Wait for the probes' spans (event-driven), then until the services have nothing more to send.
  let waitProblem: string | undefined;
  const answered = probes.filter((p) => p.status !== undefined);
  if (answered.length > 0) {
    try {
      await store.waitFor(
        (st) => answered.every((p) => st.hasTrace(p.traceId)),
        options.spanTimeoutMs ?? 15_000,
        'a span for every probe request',
      );
    } catch (error) {
      waitProblem = (error as Error).message;
    }
    await settle(store, options.settleMs ?? 800, 5_000);
  }
  const windowEnd = Date.now();
  const timings: RuntimeRunTimings = {
    services: [...serviceTimings.values()],
    prepareMs: startsAt - runStart,
    startMs: windowStart - startsAt,
    probeMs: probesEndAt - windowStart,
    waitMs: windowEnd - probesEndAt,
  };

  let burst: Promise<BurstResult> | undefined;
  let shutdownProof: Promise<ShutdownProof[]> | undefined;
  return {
    timings,
    receiver: { httpPort: receiver.httpPort, grpcPort: receiver.grpcPort, httpEndpoint: receiver.httpEndpoint },
    store,
    services: prepared.map((p) => p.started),
    probes,
    probeWindow: { start: windowStart, end: windowEnd },
    ...(waitProblem ? { waitProblem } : {}),
    logLines(serviceId?: string) {
      const all = [...retired, ...processes.values()];
      const procs = serviceId === undefined ? all : all.filter((p) => p.serviceId === serviceId);
      return procs.flatMap((p) => p.lines).sort((a, b) => a.at - b.at);
    },
    shutdownProof() {
      shutdownProof ??= proveShutdownFlush({
        store,
        services: prepared.map((p) => p.started),
        probes,
        stopCurrent: async (serviceId) => processes.get(serviceId)?.stop(stopGraceMs),
        launch,
        adopt,
        stopGraceMs,
      });
      return shutdownProof;
    },
    burst(requests = 200) {
      burst ??= sendBurst(store, probes, requests, options);
      return burst;
    },
    close,
  };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]']);

/** The OTLP endpoint the repo sets for this service, when it points at this machine. */
async function ownLocalEndpoint(ctx: CheckContext, service: Service): Promise<StartedService['ownEndpoint']> {
  const settings = await otelSettings(ctx, service);
  const found =
    setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? setting(settings, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!found) return undefined;
  let host: string;
  try {
    host = new URL(found.value).hostname;
  } catch {
    return undefined;
  }
  if (!LOCAL_HOSTS.has(host)) return undefined;
  return { variable: found.name, url: found.value, file: found.evidence.file, line: found.evidence.line };
}

/** Resolves once no span has arrived for `quietMs` (or after `maxMs`). */
export function settle(store: SpanStore, quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(quiet);
      clearTimeout(cap);
      unsubscribe();
      resolve();
    };
    const cap = setTimeout(finish, maxMs);
    quiet = setTimeout(finish, quietMs);
    const unsubscribe = store.onSpans(() => {
      clearTimeout(quiet);
      quiet = setTimeout(finish, quietMs);
    });
  });
}

function msOf(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}

/** The request a probe sent, again, with other trace headers. */
function requestOf(
  probe: Pick<Probe, 'method' | 'url' | 'headers' | 'body'>,
  trace: Record<string, string>,
): ProbeRequest {
  return {
    method: probe.method ?? 'GET',
    url: probe.url,
    headers: { ...probe.headers, ...trace },
    ...(probe.body !== undefined ? { body: probe.body } : {}),
  };
}

async function sendBurst(
  store: SpanStore,
  probes: readonly Probe[],
  requests: number,
  options: RuntimeRunOptions,
): Promise<BurstResult> {
  const healthy = probes
    .filter(
      (p) => !p.expectError && reachedRoute(p) && p.status! >= 200 && p.status! < 400 && store.hasTrace(p.traceId),
    )
    .sort((a, b) => a.endedAt - a.startedAt - (b.endedAt - b.startedAt));
  const target = healthy[0];
  if (!target) {
    return {
      serviceId: '',
      url: '',
      requests: 0,
      answered: 0,
      kept: 0,
      startedAt: Date.now(),
      endedAt: Date.now(),
      problem: 'no probed route answered 2xx with spans, so there is nothing to send a burst to',
    };
  }
  const entry = store
    .spansOfTrace(target.traceId)
    .find((s) => s.parentSpanId === target.parentSpanId && s.kind === 'server');
  const serviceName = entry?.serviceName;
  const startedAt = Date.now();
  let next = 0;
  let answered = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      // The probe's own request (method, stated headers and query), without trace context.
      const outcome = await httpRequest(requestOf(target, {}));
      if (outcome.status !== undefined) answered++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, requests) }, worker));
  const endedAt = Date.now();
  // A sampled marker after the burst: batch processors export in order, so once its spans are here, the burst's are too.
  const markerTrace = newTraceId();
  const marker = await httpRequest(requestOf(target, { traceparent: traceparent(markerTrace, newSpanId()) }));
  let problem: string | undefined;
  try {
    await store.waitFor(
      (st) => st.hasTrace(markerTrace),
      options.spanTimeoutMs ?? 15_000,
      'the marker request after the burst',
    );
    await settle(store, options.settleMs ?? 800, 5_000);
  } catch (error) {
    problem = `the marker request after the burst (${marker.status ?? marker.error}) produced no spans: ${(error as Error).message}`;
  }
  const kept = new Set(
    store
      .spans()
      .filter(
        (s) =>
          s.kind === 'server' &&
          s.parentSpanId === undefined &&
          (serviceName === undefined || s.serviceName === serviceName) &&
          s.traceId !== markerTrace &&
          msOf(s.startTimeUnixNano) >= startedAt - 50 &&
          msOf(s.startTimeUnixNano) <= endedAt + 50,
      )
      .map((s) => s.traceId),
  ).size;
  return {
    serviceId: target.serviceId,
    url: target.url,
    ...(serviceName ? { serviceName } : {}),
    requests,
    answered,
    kept,
    startedAt,
    endedAt,
    ...(problem ? { problem } : {}),
  };
}
