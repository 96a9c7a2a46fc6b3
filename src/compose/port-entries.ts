/**
 * The entries of a Compose service's `ports:` list, read by Compose's rules — the one reader the edit engine, the
 * static checks and the backend checks share:
 * - short syntax `[[ip:]host:]container[/protocol]`, where host and container may be ranges ("4317-4318:4317-4318"),
 *   the host may be empty ("127.0.0.1::80", Docker picks it), and the ip may be IPv6, in brackets or not ("[::1]:80:80",
 *   "::1:80:80"); a bare number (`- 4317`) is a container port;
 * - long syntax `{ target, published, host_ip, protocol }`, where `published` may be a range too.
 */
import { isIP } from 'node:net';

export const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

/** One entry, read: the ports it names and how they pair. */
export interface PortEntry {
  /** Host address it binds, as written (an IPv6 one may keep its brackets). */
  ip?: string;
  /** Host ports as written, in order; empty when the entry leaves them to Docker. */
  hostPorts: number[];
  /** Container ports, in order. */
  containerPorts: number[];
  /** tcp, udp or sctp (tcp when the entry names none). */
  protocol: string;
}

/** One container port and the host port it is published on (none when Docker picks one). */
export interface PortMapping {
  container: number;
  host?: number;
  ip?: string;
  protocol: string;
}

/** The short syntax's parts as text, for rewriting an entry without changing the rest of it. */
export interface ShortPortSyntax {
  ip?: string;
  host?: string;
  container: string;
  protocol?: string;
}

const PORT_OR_RANGE = /^\d+(?:-\d+)?$/;

/** Splits "[ip:][host:]container[/protocol]". Undefined when it is not Compose's short syntax. */
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
  // Like Docker: the container port is after the last colon, the host port before it, and the rest is the address.
  const container = pieces.pop()!;
  const host = pieces.pop();
  if (pieces.length > 0) {
    if (ip !== undefined) return undefined;
    ip = pieces.join(':');
  }
  if (ip !== undefined && isIP(ip.replace(/^\[(.*)\]$/, '$1')) === 0) return undefined;
  if (!PORT_OR_RANGE.test(container) || (host !== undefined && host !== '' && !PORT_OR_RANGE.test(host)))
    return undefined;
  return { ip, host: host === '' ? undefined : host, container, protocol };
}

export function formatShortSyntax(parts: ShortPortSyntax): string {
  const head = parts.ip !== undefined ? `${parts.ip}:${parts.host ?? ''}` : (parts.host ?? '');
  return `${head ? `${head}:` : ''}${parts.container}${parts.protocol ? `/${parts.protocol}` : ''}`;
}

/** "4317" → [4317], "6831-6832" → [6831, 6832]; undefined for anything else or a port outside 1–65535. */
export function portRange(text: string): number[] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = match[2] ? Number(match[2]) : from;
  if (from < 1 || to > 65535 || to < from) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function protocolOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return 'tcp';
  const protocol = String(value).toLowerCase();
  return (PORT_PROTOCOLS as readonly string[]).includes(protocol) ? protocol : undefined;
}

/**
 * Reads one `ports:` entry (a string, a number or a long-syntax object, as the YAML gives it). Undefined when it is not
 * one Compose accepts: unparseable, a bad protocol, or host and container ranges of different lengths.
 */
export function readPortEntry(entry: unknown): PortEntry | undefined {
  let read: PortEntry | undefined;
  if (typeof entry === 'number') {
    read = Number.isInteger(entry)
      ? { hostPorts: [], containerPorts: portRange(String(entry)) ?? [], protocol: 'tcp' }
      : undefined;
  } else if (typeof entry === 'string') {
    const parts = splitShortSyntax(entry);
    const protocol = parts && protocolOf(parts.protocol);
    const containerPorts = parts && portRange(parts.container);
    const hostPorts = parts?.host === undefined ? [] : portRange(parts.host);
    if (parts && protocol && containerPorts && hostPorts) {
      read = { ...(parts.ip !== undefined ? { ip: parts.ip } : {}), hostPorts, containerPorts, protocol };
    }
  } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const long = entry as { target?: unknown; published?: unknown; host_ip?: unknown; protocol?: unknown };
    const containerPorts =
      typeof long.target === 'number' || typeof long.target === 'string' ? portRange(String(long.target)) : undefined;
    const published = long.published;
    const hostPorts =
      published === undefined || published === null || published === ''
        ? []
        : typeof published === 'number' || typeof published === 'string'
          ? portRange(String(published))
          : undefined;
    const protocol = protocolOf(long.protocol);
    if (containerPorts && hostPorts && protocol) {
      read = {
        ...(typeof long.host_ip === 'string' && long.host_ip ? { ip: long.host_ip } : {}),
        hostPorts,
        containerPorts,
        protocol,
      };
    }
  }
  if (!read || read.containerPorts.length === 0) return undefined;
  const { hostPorts, containerPorts } = read;
  if (hostPorts.length > 0 && hostPorts.length !== containerPorts.length && containerPorts.length !== 1)
    return undefined;
  return read;
}

/**
 * The container ports of one entry with the host port each is published on. A host range onto one container port
 * ("9000-9002:80") publishes it on one of them, which Docker picks: the first is taken here.
 */
export function portMappings(entry: unknown): PortMapping[] {
  const read = readPortEntry(entry);
  if (!read) return [];
  const base = { protocol: read.protocol, ...(read.ip !== undefined ? { ip: read.ip } : {}) };
  return read.containerPorts.map((container, i) => {
    const host = read.hostPorts.length === read.containerPorts.length ? read.hostPorts[i] : read.hostPorts[0];
    return { container, ...(host !== undefined ? { host } : {}), ...base };
  });
}

/** Every host port an entry may take (all of a host range): what a new service must not publish on. */
export function hostPortsOfEntry(entry: unknown): number[] {
  return readPortEntry(entry)?.hostPorts ?? [];
}
