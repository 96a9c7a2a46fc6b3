/**
 * A one-shot run: a command that is meant to end by itself (a job, a script, a CLI — anything without a listening
 * port) run once against the runtime run's receiver, in its own process group with a hard deadline, then given time for
 * late spans to settle. What it reports is what happened — whether it exited, how, its output, and the spans that
 * arrived while it ran and after it exited — never a verdict.
 */
import type { ReceivedSpan } from '../receiver/span.js';
import { settle, type RuntimeRun } from './runtime-run.js';
import { ServiceProcess } from './service-process.js';

export interface OneShotOptions {
  /** The command is killed (SIGKILL to its process group) once it has run this long (default 30 s, a first `go run` compile included). */
  deadlineMs?: number;
  /** No new span for this long after the exit means nothing more is coming (default 1 s). */
  settleMs?: number;
  /** The longest wait for spans after the exit (default 5 s). */
  maxSettleMs?: number;
  /** Send OTLP/gRPC to the receiver's gRPC port instead of OTLP/HTTP protobuf. */
  grpc?: boolean;
  /** Extra environment on top of the OTEL_* variables (e.g. PATH with a virtual environment first). */
  env?: Record<string, string>;
}

export interface OneShotResult {
  /** What ran: the service id, or the service id and the script name. */
  id: string;
  command: string;
  cwd: string;
  /** Process (and process group) id. */
  pid?: number;
  /** It ended by itself before the deadline. */
  exited: boolean;
  /** It was still running at the deadline and its process group was killed. */
  timedOut: boolean;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  spawnError?: string;
  /** Milliseconds from start to exit (or to the kill). */
  durationMs: number;
  /** The last lines of stdout and of stderr, labelled. */
  outputTail: string;
  /** The OTEL_* variables it ran with. */
  env: Record<string, string>;
  /** Spans that started after it was started and arrived before the settle ended. */
  spans: ReceivedSpan[];
  startedAt: number;
  /** When the wait for late spans ended. */
  settledAt: number;
}

/** The same inherited variables the runtime run drops, so the receiver and the SDK's own defaults decide. */
const INHERITED_OTEL_TO_DROP = [
  'OTEL_SERVICE_NAME',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_TRACES_EXPORTER',
  'OTEL_SDK_DISABLED',
];

function tailOf(proc: ServiceProcess, maxLines = 8, maxChars = 1200): string {
  const parts: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const lines = proc.lines
      .filter((l) => l.stream === stream && l.text.trim() !== '')
      .slice(-maxLines)
      .map((l) => l.text);
    if (lines.length === 0) continue;
    const text = lines.join('\n');
    parts.push(`${stream}: ${text.length > maxChars ? `…${text.slice(-maxChars)}` : text}`);
  }
  return parts.join('\n');
}

/**
 * Runs `command` once with a shell in `cwd`, with the OTEL_* variables pointing at the run's receiver (OTEL_SERVICE_NAME
 * unset, the batch processor's own schedule), waits for it to exit or kills its whole process group at the deadline,
 * waits for spans to settle and returns what arrived. The receiver stays the run's: close the run as usual.
 */
export async function runOnce(
  run: RuntimeRun,
  id: string,
  command: string,
  cwd: string,
  options: OneShotOptions = {},
): Promise<OneShotResult> {
  const endpoint = options.grpc
    ? run.receiver.httpEndpoint.replace(/:\d+$/, `:${run.receiver.grpcPort}`)
    : run.receiver.httpEndpoint;
  const otel: Record<string, string> = {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: options.grpc ? 'grpc' : 'http/protobuf',
    OTEL_TRACES_EXPORTER: 'otlp',
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OTEL_TO_DROP) delete env[name];
  Object.assign(env, options.env, otel);

  const deadlineMs = options.deadlineMs ?? 30_000;
  const startedAt = Date.now();
  const proc = new ServiceProcess(id, command, cwd, env);
  const deadline = startedAt + deadlineMs;
  let exited = false;
  let durationMs = 0;
  try {
    while (!proc.hasExited && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(25, deadline - Date.now()))));
    exited = proc.hasExited;
    durationMs = Date.now() - startedAt;
  } finally {
    // At the deadline: SIGKILL to the whole group at once (the deadline is a limit, not the start of a grace period).
    // After an exit: whatever the command left behind in its group is stopped too. On any way out, the group is stopped.
    if (!exited) proc.killNow();
    await proc.stop(exited ? 1_000 : 0);
  }

  await settle(run.store, options.settleMs ?? 1_000, options.maxSettleMs ?? 5_000);
  const settledAt = Date.now();
  const spans = run.store
    .spans()
    .filter((s) => s.receivedAt >= startedAt && Number(s.startTimeUnixNano / 1_000_000n) >= startedAt - 50);
  return {
    id,
    command,
    cwd,
    ...(proc.pid !== undefined ? { pid: proc.pid } : {}),
    exited,
    timedOut: !exited,
    exitCode: proc.exitCode,
    exitSignal: proc.exitSignal,
    ...(proc.spawnError ? { spawnError: proc.spawnError.message } : {}),
    durationMs,
    outputTail: tailOf(proc),
    env: otel,
    spans,
    startedAt,
    settledAt,
  };
}
