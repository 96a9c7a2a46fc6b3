/**
 * backend-accepts-otlp: a real probe span, posted over OTLP/HTTP (protobuf) to the backend's OTLP port, is accepted
 * (2xx), the gRPC port answers an Export call, and — where the backend has a query API — the probe can then be found
 * there. For `local`, the built-in receiver is started on a free port and must accept the span (and the services must
 * be exporting to it); for a vendor, the endpoint and headers come from the environment (the headers are never shown).
 */
import type { Check, CheckContext } from '../../check.js';
import type { CheckResult } from '../../../types/check-result.js';
import { startReceiver } from '../../receiver/receiver.js';
import { answerOf } from '../../../skill/lookup.js';
import { resolveBackendTarget, type BackendTarget, type Endpoint, type Evidence } from './backend-target.js';
import { configuredEndpoints, reachesBuiltInReceiver } from './configured-endpoints.js';
import { pollUntil, snippet, type HttpOutcome } from './http.js';
import { resolveOptions, type BackendCheckOptions, type ResolvedOptions } from './options.js';
import {
  describeHttpAnswer,
  exportOverGrpc,
  newProbeSpan,
  parseOtlpHeaders,
  postProbeOverHttp,
  tracesUrl,
  type GrpcOutcome,
  type ProbeSpan,
} from './otlp-probe.js';
import { queryClientFor, queryRole } from './query-clients.js';
import type { LookupResult } from './query-client.js';

const ITEM = 'backend-accepts-otlp';

function result(status: CheckResult['status'], summary: string, evidence: Evidence[], fix?: string): CheckResult {
  return { itemId: ITEM, status, summary, evidence, ...(fix ? { fix } : {}) };
}

function isGrpcProtocol(ctx: CheckContext, env: NodeJS.ProcessEnv): boolean {
  const fromEnv = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (fromEnv) return fromEnv.trim() === 'grpc';
  return answerOf(ctx.skill, 'otlp-protocol', ctx.inputs) === 'grpc';
}

function startHint(endpoint: Endpoint): string {
  return endpoint.start
    ? `start it from the repo root: \`${endpoint.start}\``
    : `start the backend that should answer at ${endpoint.url}`;
}

function grpcLine(outcome: GrpcOutcome): { ok: boolean; text: string } {
  if (outcome.kind === 'answered') {
    return outcome.grpcStatus === 0
      ? { ok: true, text: `OTLP/gRPC ${outcome.target} accepted an empty Export request (grpc-status 0)` }
      : {
          ok: false,
          text: `OTLP/gRPC ${outcome.target} answered grpc-status ${outcome.grpcStatus}${outcome.message ? `: ${outcome.message}` : ''}`,
        };
  }
  return { ok: false, text: `OTLP/gRPC ${outcome.target}: ${outcome.reason}` };
}

async function lookForProbe(
  target: BackendTarget,
  probe: ProbeSpan,
  options: ResolvedOptions,
): Promise<LookupResult | { status: 'unknown'; detail: string }> {
  const role = queryRole(target);
  if (!role) return { status: 'unknown', detail: 'this backend has no query API trace-guide can read' };
  if (!role.ok)
    return { status: 'unknown', detail: 'misconfigured' in role ? role.misconfigured.summary : role.absent };
  const client = queryClientFor(target.kind, role.endpoint, options.requestTimeoutMs)!;
  const polled = await pollUntil(
    async () => {
      const found = await client.findTrace(probe);
      // Keep polling while it is missing; stop on found, or when the API is down or not the backend's.
      return { done: found.status !== 'missing', value: found };
    },
    { deadlineMs: options.deadlineMs, intervalMs: options.pollIntervalMs },
  );
  return polled.value;
}

async function checkContainerBackend(ctx: CheckContext, options: ResolvedOptions): Promise<CheckResult> {
  const target = await resolveBackendTarget(ctx, options.env);
  const http = target.role('otlpHttp');
  if (!http) return result('skipped', `backend ${target.kind} has no OTLP endpoint to probe`, []);
  if (!http.ok) {
    if (target.composeError) {
      return result(
        'fail',
        `${target.composeError.path} does not parse (${target.composeError.message}), so the backend's OTLP port is unknown`,
        [{ note: `${target.composeError.path}: ${target.composeError.message}` }],
        `fix the YAML in ${target.composeError.path}, or set TRACE_GUIDE_OTLP_URL to the backend's OTLP/HTTP base URL`,
      );
    }
    if ('misconfigured' in http)
      return result('fail', http.misconfigured.summary, http.misconfigured.evidence, http.misconfigured.fix);
    return result(
      'fail',
      `no ${target.kind} OTLP endpoint to send to: ${http.absent}`,
      [{ note: http.absent }],
      "apply the backend step's compose proposal (`trace-guide apply`), or set TRACE_GUIDE_OTLP_URL to the OTLP/HTTP base URL of a running backend",
    );
  }
  const endpoint = http.endpoint;
  const tail = answerOf(ctx.skill, 'tail-sampling', ctx.inputs);
  const probe = newProbeSpan({
    markedError: target.kind === 'zipkin' && (tail === 'errors' || tail === 'errors-and-slow'),
  });
  const evidence: Evidence[] = [endpoint.source];

  const answer: HttpOutcome = await postProbeOverHttp(endpoint.url, probe, { timeoutMs: options.requestTimeoutMs });
  if (answer.kind === 'down') {
    return result(
      'skipped',
      `the ${target.kind} backend is not running: ${answer.reason}`,
      evidence,
      startHint(endpoint),
    );
  }
  if (answer.kind === 'error') {
    return result(
      'fail',
      `POST ${answer.url} failed: ${answer.reason}`,
      evidence,
      `check that ${endpoint.url} is the backend's OTLP/HTTP port (container port 4318); ${startHint(endpoint)}`,
    );
  }
  if (answer.status < 200 || answer.status >= 300) {
    evidence.push({ note: describeHttpAnswer(answer) });
    return result(
      'fail',
      `the OTLP/HTTP endpoint refused the probe span: ${describeHttpAnswer(answer)}`,
      evidence,
      answer.status === 404
        ? `${endpoint.url} is not an OTLP/HTTP receiver (it has no POST /v1/traces): publish the backend's container port 4318 there`
        : `see what the backend logs: \`docker compose logs ${endpoint.composeService ?? target.kind}\``,
    );
  }
  evidence.push({
    note: `POST ${answer.url} accepted the probe span (HTTP ${answer.status}); trace id ${probe.traceId}, span id ${probe.spanId}`,
  });

  // The gRPC port.
  const problems: string[] = [];
  const grpcRequired = isGrpcProtocol(ctx, options.env);
  const grpc = target.role('otlpGrpc');
  // What the summary may claim: only the endpoints that were really exercised, at the addresses used.
  let grpcTested: string | undefined;
  if (grpc?.ok) {
    const line = grpcLine(await exportOverGrpc(grpc.endpoint.url, undefined, { timeoutMs: options.requestTimeoutMs }));
    evidence.push({ note: line.text });
    if (!line.ok) problems.push(line.text);
    else grpcTested = grpc.endpoint.url;
  } else if (grpc && 'misconfigured' in grpc) {
    evidence.push(...grpc.misconfigured.evidence);
    problems.push(grpc.misconfigured.summary);
  } else if (grpc && grpcRequired) {
    problems.push(`the OTLP/gRPC port is unknown: ${grpc.absent}`);
  }
  if (problems.length > 0 && grpcRequired) {
    return result(
      'fail',
      `OTLP/HTTP works but the services export over gRPC and ${problems[0]}`,
      evidence,
      `publish the backend's container port 4317 and make sure it answers gRPC`,
    );
  }

  // Stored and findable?
  const found = await lookForProbe(target, probe, options);
  if (found.status === 'found') {
    evidence.push({ note: found.detail });
    if (problems.length > 0) {
      return result(
        'warn',
        `the backend stores spans sent over OTLP/HTTP, but ${problems[0]}`,
        evidence,
        'only matters if a service exports over gRPC: publish container port 4317',
      );
    }
    const grpcPart = grpcTested
      ? `, answered an Export call over OTLP/gRPC at ${grpcTested}`
      : '; OTLP/gRPC was not tested (no gRPC port is published and the services export over HTTP)';
    return result(
      'pass',
      `the ${target.kind} backend accepted a probe span over OTLP/HTTP at ${answer.url}${grpcPart}, and returns it from its query API (trace ${probe.traceId})`,
      evidence,
    );
  }
  if (found.status === 'missing') {
    evidence.push({ note: found.detail });
    return result(
      'fail',
      `the backend accepted the probe span (HTTP ${answer.status}) but its query API never returned trace ${probe.traceId} within ${Math.round(options.deadlineMs / 1000)} s`,
      evidence,
      `the OTLP port and the query API may belong to different backends, or the backend drops what it receives: check \`docker compose logs ${endpoint.composeService ?? target.kind}\``,
    );
  }
  evidence.push({ note: `could not look the probe up: ${found.detail}` });
  return result(
    'warn',
    `the backend accepted the probe span (HTTP ${answer.status}), but trace-guide could not confirm it was stored: ${snippet(found.detail, 160)}`,
    evidence,
    'make the query API reachable (see backend-ui-reachable), then check again',
  );
}

async function checkBuiltInReceiver(ctx: CheckContext, options: ResolvedOptions): Promise<CheckResult> {
  const endpoints = await configuredEndpoints(ctx);
  const elsewhere = endpoints.filter((e) => !reachesBuiltInReceiver(e.value));
  if (elsewhere.length > 0) {
    const first = elsewhere[0]!;
    return result(
      'fail',
      `the services export to ${first.value} (${first.file}:${first.line}), not to trace-guide's built-in receiver on localhost:4318/4317`,
      elsewhere.map((e) => ({ file: e.file, line: e.line, text: e.text })),
      `remove ${first.variable} from ${first.file} (the SDK default http://localhost:4318 reaches the receiver), or answer the backend question with the backend the services really use`,
    );
  }
  const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  try {
    const probe = newProbeSpan();
    const answer = await postProbeOverHttp(receiver.httpEndpoint, probe, { timeoutMs: options.requestTimeoutMs });
    const evidence: Evidence[] = endpoints.map((e) => ({ file: e.file, line: e.line, text: e.text }));
    if (endpoints.length === 0)
      evidence.push({
        note: 'no service sets OTEL_EXPORTER_OTLP_ENDPOINT: they use the SDK default localhost:4318 (4317 for gRPC), where the receiver listens',
      });
    if (answer.kind !== 'answered' || answer.status < 200 || answer.status >= 300) {
      const what = answer.kind === 'answered' ? describeHttpAnswer(answer) : answer.reason;
      return result(
        'fail',
        `the built-in receiver did not accept the probe span: ${what}`,
        evidence,
        'report this: the built-in receiver should accept any valid OTLP request',
      );
    }
    if (!receiver.store.hasTrace(probe.traceId)) {
      return result(
        'fail',
        `the built-in receiver answered HTTP ${answer.status} but did not store the probe span`,
        evidence,
      );
    }
    const grpc = grpcLine(
      await exportOverGrpc(receiver.grpcEndpoint, undefined, { timeoutMs: options.requestTimeoutMs }),
    );
    evidence.push(
      {
        note: `the built-in receiver on ${receiver.httpEndpoint} stored the probe span ${probe.spanId} of trace ${probe.traceId}`,
      },
      { note: grpc.text },
    );
    if (!grpc.ok)
      return result('fail', `the built-in receiver's gRPC port did not accept an Export call: ${grpc.text}`, evidence);
    // Said with the addresses tested: this check starts its own receiver on free ports, not on 4318/4317.
    return result(
      'pass',
      `a built-in receiver started for this check on free ports accepted a probe span over OTLP/HTTP (${receiver.httpEndpoint}) and an Export call over OTLP/gRPC (${receiver.grpcEndpoint}); ${endpoints.length === 0 ? 'no service sets an OTLP endpoint, so they use the SDK default (localhost:4318 / 4317)' : `the ${endpoints.length} endpoint setting(s) found point at this machine`}`,
      evidence,
    );
  } finally {
    await receiver.close();
  }
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

async function checkVendor(ctx: CheckContext, options: ResolvedOptions): Promise<CheckResult> {
  const endpoint = options.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const headersValue = options.env.OTEL_EXPORTER_OTLP_HEADERS?.trim();
  const given = answerOf(ctx.skill, 'otlp-endpoint', ctx.inputs);
  if (!endpoint || !headersValue) {
    const missing = [!endpoint && 'OTEL_EXPORTER_OTLP_ENDPOINT', !headersValue && 'OTEL_EXPORTER_OTLP_HEADERS']
      .filter(Boolean)
      .join(' and ');
    return result(
      'skipped',
      `${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set in this shell, so the vendor's endpoint cannot be probed`,
      [],
      `export OTEL_EXPORTER_OTLP_ENDPOINT=${typeof given === 'string' && given ? given : "<the vendor's OTLP base URL>"} and ` +
        'OTEL_EXPORTER_OTLP_HEADERS=<header>=<your key> (e.g. from your secret store) in the shell that runs trace-guide, then check again; the key is sent, never printed or stored',
    );
  }
  const headers = parseOtlpHeaders(headersValue);
  const secrets = Object.values(headers);
  const names = Object.keys(headers);
  const evidence: Evidence[] = [
    {
      note: `endpoint ${endpoint} (OTEL_EXPORTER_OTLP_ENDPOINT), headers ${names.join(', ') || '(none parsed)'} from OTEL_EXPORTER_OTLP_HEADERS (values not shown)`,
    },
  ];
  const probe = newProbeSpan();
  if (isGrpcProtocol(ctx, options.env)) {
    const outcome = await exportOverGrpc(endpoint, probe, { headers, timeoutMs: options.requestTimeoutMs });
    const line = grpcLine(outcome);
    evidence.push({ note: redact(line.text, secrets) });
    if (outcome.kind === 'down')
      return result(
        'skipped',
        `nothing answers at ${endpoint}: ${outcome.reason}`,
        evidence,
        'check OTEL_EXPORTER_OTLP_ENDPOINT (host and port) and your network',
      );
    if (!line.ok) {
      const auth = outcome.kind === 'answered' && outcome.grpcStatus === 16;
      return result(
        'fail',
        redact(`the vendor refused the probe span: ${line.text}`, secrets),
        evidence,
        auth
          ? 'the key in OTEL_EXPORTER_OTLP_HEADERS was not accepted: check its header name and value with your vendor'
          : "check the endpoint and protocol in your vendor's OTLP docs",
      );
    }
    return result(
      'pass',
      `the vendor's OTLP/gRPC endpoint accepted the probe span (trace ${probe.traceId}); look it up in the vendor's UI`,
      evidence,
    );
  }
  const answer = await postProbeOverHttp(endpoint, probe, { headers, timeoutMs: options.requestTimeoutMs });
  if (answer.kind === 'down')
    return result(
      'skipped',
      `nothing answers at ${tracesUrl(endpoint)}: ${answer.reason}`,
      evidence,
      'check OTEL_EXPORTER_OTLP_ENDPOINT (host and port) and your network',
    );
  if (answer.kind === 'error')
    return result(
      'fail',
      redact(`POST ${answer.url} failed: ${answer.reason}`, secrets),
      evidence,
      "check the endpoint URL (https, port) in your vendor's OTLP docs",
    );
  if (answer.status < 200 || answer.status >= 300) {
    const text = redact(describeHttpAnswer(answer), secrets);
    evidence.push({ note: text });
    const auth = answer.status === 401 || answer.status === 403;
    return result(
      'fail',
      `the vendor refused the probe span: ${text}`,
      evidence,
      auth
        ? 'the key in OTEL_EXPORTER_OTLP_HEADERS was not accepted: check its header name and value with your vendor'
        : 'check the endpoint URL and that it takes OTLP/HTTP protobuf on /v1/traces',
    );
  }
  evidence.push({
    note: `POST ${answer.url} accepted the probe span (HTTP ${answer.status}); trace id ${probe.traceId}`,
  });
  return result(
    'pass',
    `the vendor's OTLP/HTTP endpoint accepted the probe span (trace ${probe.traceId}); look it up in the vendor's UI`,
    evidence,
  );
}

export function createBackendAcceptsOtlpCheck(options: BackendCheckOptions = {}): Check {
  return {
    itemId: ITEM,
    async run(ctx) {
      const resolved = resolveOptions(options);
      const kind = String(answerOf(ctx.skill, 'backend', ctx.inputs) ?? 'jaeger');
      if (kind === 'local') return checkBuiltInReceiver(ctx, resolved);
      if (kind === 'otlp-vendor') return checkVendor(ctx, resolved);
      return checkContainerBackend(ctx, resolved);
    },
  };
}

export const backendAcceptsOtlp: Check = createBackendAcceptsOtlpCheck();
