/** Knobs of the backend checks; the defaults are for a real backend, tests shorten the waits. */
export interface BackendCheckOptions {
  /** Environment to read TRACE_GUIDE_*_URL and OTEL_EXPORTER_OTLP_* from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** How long to keep looking for the probe span / for a backend to become ready (default 30 s). */
  deadlineMs?: number;
  /** Pause between two looks (default 1 s). */
  pollIntervalMs?: number;
  /** Timeout of one HTTP request (default 5 s). */
  requestTimeoutMs?: number;
}

export interface ResolvedOptions {
  env: NodeJS.ProcessEnv;
  deadlineMs: number;
  pollIntervalMs: number;
  requestTimeoutMs: number;
}

export function resolveOptions(options: BackendCheckOptions = {}): ResolvedOptions {
  return {
    env: options.env ?? process.env,
    deadlineMs: options.deadlineMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
  };
}
