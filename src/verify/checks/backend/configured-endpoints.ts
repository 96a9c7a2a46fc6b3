/**
 * Where the services are told to export: OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT wherever the
 * static checks find OTEL_* settings — defaults in the set-up code, scripts, Procfile, Dockerfile, .env files, compose —
 * with the file and line. A service that sets neither uses the SDK default (localhost:4318, or :4317 for gRPC).
 */
import { COMPOSE_FILE_NAMES } from '../../../yaml/compose-merge.js';
import type { CheckContext } from '../../check.js';
import { otelSettings } from '../../../source-reading/otel-settings.js';

export interface ConfiguredEndpoint {
  file: string;
  line: number;
  text: string;
  variable: string;
  value: string;
}

const ENDPOINT_VARIABLES = new Set(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
const SETTING = /\b(OTEL_EXPORTER_OTLP(?:_TRACES)?_ENDPOINT)\b["']?\s*[=:]\s*["']?([^\s"',}\]]+)/g;
/** Repo-level files that set the environment of every service (whether or not a service was found beside them). */
const REPO_LEVEL = [...COMPOSE_FILE_NAMES, '.env', '.env.local', '.env.development'];

export async function configuredEndpoints(
  ctx: Pick<CheckContext, 'root' | 'services' | 'repo'>,
): Promise<ConfiguredEndpoint[]> {
  const out: ConfiguredEndpoint[] = [];
  const seen = new Set<string>();
  for (const file of REPO_LEVEL) {
    const text = await ctx.repo.read(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, index) => {
      if (/^\s*#/.test(line)) return;
      for (const match of line.matchAll(SETTING)) {
        const value = match[2]!;
        if (value === '' || value.startsWith('$')) continue;
        seen.add(`${file}:${index + 1}:${match[1]}`);
        out.push({ file, line: index + 1, text: line.trim().slice(0, 200), variable: match[1]!, value });
      }
    });
  }
  for (const service of ctx.services) {
    for (const setting of await otelSettings(ctx, service)) {
      if (!ENDPOINT_VARIABLES.has(setting.name) || setting.value === '' || setting.value.startsWith('$')) continue;
      const key = `${setting.evidence.file}:${setting.evidence.line}:${setting.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        file: setting.evidence.file,
        line: setting.evidence.line,
        text: (setting.evidence.text ?? '').trim().slice(0, 200),
        variable: setting.name,
        value: setting.value,
      });
    }
  }
  return out;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);
/** The receiver's ports, and the local Collector's (the sampling step runs one on 14317/14318 in front of it). */
const RECEIVER_PORTS = new Set([4317, 4318, 14317, 14318]);

/** True when an endpoint value reaches trace-guide's built-in receiver on this machine. */
export function reachesBuiltInReceiver(value: string): boolean {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return false;
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return LOOPBACK.has(url.hostname) && RECEIVER_PORTS.has(port);
}
