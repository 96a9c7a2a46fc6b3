/**
 * Where the services are told to export: OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as written in
 * the files that usually set them (compose, .env files, package.json scripts, Procfile, Makefile, Dockerfile), with the
 * file and line. A service that sets neither uses the SDK default (localhost:4318, or :4317 for gRPC).
 */
import { inService } from '../../../plan/context.js';
import { COMPOSE_FILE_NAMES } from '../../../edit/compose-merge.js';
import type { CheckContext } from '../../check.js';

export interface ConfiguredEndpoint {
  file: string;
  line: number;
  text: string;
  variable: string;
  value: string;
}

const SETTING = /\b(OTEL_EXPORTER_OTLP(?:_TRACES)?_ENDPOINT)\b["']?\s*[=:]\s*["']?([^\s"',}\]]+)/g;
const PER_SERVICE = ['.env', '.env.local', '.env.development', 'package.json', 'Procfile', 'Makefile', 'Dockerfile'];

function filesToRead(ctx: Pick<CheckContext, 'services'>): string[] {
  const files = new Set<string>([...COMPOSE_FILE_NAMES, '.env', '.env.local', '.env.development']);
  for (const service of ctx.services) for (const name of PER_SERVICE) files.add(inService(service, name));
  return [...files];
}

export async function configuredEndpoints(ctx: Pick<CheckContext, 'services' | 'repo'>): Promise<ConfiguredEndpoint[]> {
  const out: ConfiguredEndpoint[] = [];
  for (const file of filesToRead(ctx)) {
    const text = await ctx.repo.read(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, index) => {
      if (/^\s*#/.test(line)) return;
      for (const match of line.matchAll(SETTING)) {
        const value = match[2]!;
        if (value === '' || value.startsWith('$')) continue;
        out.push({ file, line: index + 1, text: line.trim().slice(0, 200), variable: match[1]!, value });
      }
    });
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
