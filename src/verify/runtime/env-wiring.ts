/**
 * The environment variables a service reads for its own port (PORT, HTTP_PORT...) and for the URLs of the services it
 * calls (ORDERS_URL, INVENTORY_URL...), found in its source, with the default written next to the read. The runtime run
 * uses them to start each service on the port it expects and to point callers at the started callees.
 */
import type { SourceFile } from './service-sources.js';

export interface EnvRead {
  name: string;
  /** The literal default on the same line, when there is one. */
  defaultValue?: string;
  file: string;
  line: number;
  text: string;
}

// process.env.X, process.env['X'], os.environ.get('X'), os.environ['X'], os.getenv('X'), os.Getenv("X"), getenv("X")
const ENV_READ =
  /(?:process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]|os\.environ\.get\(\s*['"]([A-Z][A-Z0-9_]*)['"]|os\.environ\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]|\b(?:os\.)?[gG]etenv\(\s*['"]([A-Z][A-Z0-9_]*)['"]|System\.getenv\(\s*"([A-Z][A-Z0-9_]*)")/g;
const STRING_LITERAL = /(['"`])([^'"`\n]*)\1/g;

export function findEnvReads(sources: readonly SourceFile[]): EnvRead[] {
  const reads: EnvRead[] = [];
  for (const file of sources) {
    const lines = file.text.split(/\r?\n/);
    lines.forEach((text, index) => {
      for (const match of text.matchAll(ENV_READ)) {
        const name = match.slice(1).find((group) => group !== undefined);
        if (!name) continue;
        const after = text.slice((match.index ?? 0) + match[0].length);
        // The default: the first literal after the read on the same line (`|| 'x'`, `, "x")`, `?? 'x'`), or a
        // fallback assignment on the next lines (Go: if port == "" { port = "8081" }).
        let defaultValue: string | undefined;
        for (const literal of after.matchAll(STRING_LITERAL)) {
          if (literal[2] !== undefined && literal[2] !== '') {
            defaultValue = literal[2];
            break;
          }
        }
        if (defaultValue === undefined) {
          const numeric = /^[^\n]*?(?:\|\||\?\?|,|\bor\b)\s*(\d{2,5})\b/.exec(after);
          if (numeric?.[1]) defaultValue = numeric[1];
        }
        if (defaultValue === undefined) {
          const follow = lines.slice(index + 1, index + 4).join('\n');
          const assigned = /=\s*"([^"\n]+)"/.exec(follow);
          if (assigned?.[1] && /==\s*""/.test(follow)) defaultValue = assigned[1];
        }
        reads.push({
          name,
          file: file.rel,
          line: index + 1,
          text: text.trim(),
          ...(defaultValue === undefined ? {} : { defaultValue }),
        });
      }
    });
  }
  return reads;
}

/** The variable the service reads its listening port from (PORT, HTTP_PORT, APP_PORT...), if any. */
export function portVariable(reads: readonly EnvRead[]): EnvRead | undefined {
  return (
    reads.find((r) => r.name === 'PORT') ??
    reads.find((r) => /(^|_)PORT$/.test(r.name) && !/_URL|OTEL|DB|REDIS|POSTGRES|MYSQL|MONGO/.test(r.name))
  );
}

/** Variables holding the URL of another service (*_URL), except OpenTelemetry's own and databases'. */
export function urlVariables(reads: readonly EnvRead[]): EnvRead[] {
  const byName = new Map<string, EnvRead>();
  for (const read of reads) {
    if (
      !/_(URL|BASE_URL|ENDPOINT|ADDR|ADDRESS)$/.test(read.name) ||
      /^OTEL_|DATABASE|REDIS|MONGO|POSTGRES|MYSQL|AMQP|KAFKA/.test(read.name)
    )
      continue;
    const known = byName.get(read.name);
    if (!known || (known.defaultValue === undefined && read.defaultValue !== undefined)) byName.set(read.name, read);
  }
  return [...byName.values()];
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface WiringTarget {
  id: string;
  names: string[];
  scannedPort?: number;
  port: number;
}

/**
 * The started service an *_URL variable means: by name (ORDERS_URL, ORDERS_SERVICE_URL → orders) or, failing that, by the
 * port of its default (http://127.0.0.1:5001 → the service scanned on 5001).
 */
export function targetOfUrlVariable(read: EnvRead, targets: readonly WiringTarget[]): WiringTarget | undefined {
  const stem = normalise(
    read.name.replace(/_(URL|BASE_URL|ENDPOINT|ADDR|ADDRESS)$/, '').replace(/_(SERVICE|SVC|API|HOST)$/, ''),
  );
  const byName = targets.find((t) =>
    t.names.some((n) => normalise(n) === stem || (stem.length >= 3 && normalise(n).endsWith(stem))),
  );
  if (byName) return byName;
  const port = read.defaultValue ? portOfUrl(read.defaultValue) : undefined;
  return port === undefined ? undefined : targets.find((t) => t.scannedPort === port);
}

export function portOfUrl(value: string): number | undefined {
  try {
    const url = new URL(value.includes('://') ? value : `http://${value}`);
    if (url.port) return Number(url.port);
    return url.protocol === 'https:' ? 443 : 80;
  } catch {
    return undefined;
  }
}

/** The value pointing at the started target, keeping the default's scheme-less form and path; undefined when the default is already right. */
export function wiredValue(read: EnvRead, target: WiringTarget): string | undefined {
  const fresh = `http://127.0.0.1:${target.port}`;
  if (read.defaultValue === undefined) return /_URL$|_ENDPOINT$/.test(read.name) ? fresh : `127.0.0.1:${target.port}`;
  const hasScheme = read.defaultValue.includes('://');
  let url: URL;
  try {
    url = new URL(hasScheme ? read.defaultValue : `http://${read.defaultValue}`);
  } catch {
    return fresh;
  }
  const local = ['127.0.0.1', 'localhost', '0.0.0.0', '[::1]'].includes(url.hostname);
  if (local && portOfUrl(read.defaultValue) === target.port) return undefined;
  const rest = url.pathname === '/' ? '' : url.pathname;
  return hasScheme ? `http://127.0.0.1:${target.port}${rest}` : `127.0.0.1:${target.port}`;
}
