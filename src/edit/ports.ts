/**
 * Host ports published by Compose services: parsing the short ("8080:80", "127.0.0.1:4317:4317/tcp", "4317-4318:4317-4318")
 * and long ({target, published}) syntaxes, and choosing a free alternative when a host port is already taken.
 */

/** The host ports one `ports:` entry publishes; empty when it leaves the host port to Docker (e.g. "4317"). */
export function hostPortsOfEntry(entry: unknown): number[] {
  if (typeof entry === 'number') return [];
  if (typeof entry === 'string') return hostPortsOfShortSyntax(entry);
  if (entry && typeof entry === 'object') {
    const published = (entry as { published?: unknown }).published;
    if (typeof published === 'number') return [published];
    if (typeof published === 'string') return expandRange(published);
  }
  return [];
}

function hostPortsOfShortSyntax(spec: string): number[] {
  const parts = splitShortSyntax(spec);
  if (!parts || parts.host === undefined) return [];
  return expandRange(parts.host);
}

export interface ShortPortSyntax {
  ip?: string;
  host?: string;
  container: string;
  protocol?: string;
}

/** Splits "[ip:][host:]container[/protocol]"; an IPv6 ip is written in brackets. Undefined when it does not parse. */
export function splitShortSyntax(spec: string): ShortPortSyntax | undefined {
  let rest = spec.trim();
  let protocol: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash !== -1) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let ip: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']:');
    if (close === -1) return undefined;
    ip = rest.slice(0, close + 1);
    rest = rest.slice(close + 2);
  }
  const pieces = rest.split(':');
  let host: string | undefined;
  let container: string;
  if (pieces.length === 1) container = pieces[0]!;
  else if (pieces.length === 2) [host, container] = pieces as [string, string];
  else if (pieces.length === 3 && ip === undefined) [ip, host, container] = pieces as [string, string, string];
  else return undefined;
  if (!/^\d+(-\d+)?$/.test(container) || (host !== undefined && host !== '' && !/^\d+(-\d+)?$/.test(host))) return undefined;
  return { ip, host: host === '' ? undefined : host, container, protocol };
}

export function formatShortSyntax(parts: ShortPortSyntax): string {
  const head = [parts.ip, parts.host].filter((p) => p !== undefined && p !== '').join(':');
  return `${head ? `${head}:` : ''}${parts.container}${parts.protocol ? `/${parts.protocol}` : ''}`;
}

function expandRange(text: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) return [];
  const from = Number(match[1]);
  const to = match[2] ? Number(match[2]) : from;
  const out: number[] = [];
  for (let p = from; p <= to && out.length < 1000; p++) out.push(p);
  return out;
}

/**
 * A free host port to use instead of `port`: the same port shifted by 10000 (4317 → 14317, so the pairing stays
 * recognisable), then by 20000..., then the next free port above it.
 */
export function alternativePort(port: number, taken: ReadonlySet<number>): number {
  for (let shift = 10000; port + shift <= 65535; shift += 10000) {
    if (!taken.has(port + shift)) return port + shift;
  }
  for (let candidate = port + 1; candidate <= 65535; candidate++) if (!taken.has(candidate)) return candidate;
  for (let candidate = 1024; candidate < port; candidate++) if (!taken.has(candidate)) return candidate;
  throw new Error(`no free host port left to replace ${port}`);
}
