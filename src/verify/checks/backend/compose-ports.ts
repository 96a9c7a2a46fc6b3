/**
 * What the compose file the backend step wrote publishes: each service's image and its host → container port
 * mappings, with the line of each entry (for evidence). Read with the yaml package, never by regex.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { portMappings } from '../../../compose/port-entries.js';
import { COMPOSE_FILE_NAMES } from '../../../yaml/compose-merge.js';
import type { RepoReader } from '../../../repo/repo-reader.js';

export interface PublishedPort {
  /** Host port (what localhost sees). */
  host: number;
  /** Container port it forwards to. */
  container: number;
  /** Host address it is bound to, when the entry names one. */
  ip?: string;
  protocol: string;
  /** 1-based line of the entry in the compose file. */
  line: number;
  /** The entry as written. */
  text: string;
}

export interface ComposeService {
  name: string;
  image?: string;
  /** 1-based line of the service key. */
  line: number;
  ports: PublishedPort[];
}

export interface ComposeFacts {
  /** Repo-relative path of the compose file. */
  path: string;
  services: ComposeService[];
}

export type ComposeRead =
  | { ok: true; compose: ComposeFacts }
  | { ok: false; path: string; message: string }
  | undefined;

/** The entry's container ports that are published on a host port. */
function portsOfEntry(value: unknown): Array<Omit<PublishedPort, 'line' | 'text'>> {
  return portMappings(value).flatMap((m) => (m.host === undefined ? [] : [{ ...m, host: m.host }]));
}

/** Parses compose text into the facts the backend checks need. */
export function composeFacts(path: string, text: string): ComposeRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0)
    return { ok: false, path, message: doc.errors[0]!.message.split('\n')[0] ?? 'invalid YAML' };
  const lineOf = (node: unknown): number => {
    const r = (node as { range?: [number, number, number] } | undefined)?.range;
    return r ? lineCounter.linePos(r[0]).line : 1;
  };
  const servicesNode = doc.get('services', true);
  const services: ComposeService[] = [];
  if (isMap(servicesNode)) {
    for (const pair of servicesNode.items) {
      const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const service: ComposeService = { name, line: lineOf(pair.key), ports: [] };
      if (isMap(pair.value)) {
        const image = pair.value.get('image');
        if (typeof image === 'string') service.image = image;
        const ports = pair.value.get('ports', true);
        if (isSeq(ports)) {
          for (const item of ports.items) {
            const value = isScalar(item)
              ? typeof item.value === 'number'
                ? String(item.value)
                : item.value
              : isMap(item)
                ? item.toJSON()
                : undefined;
            const text = isScalar(item) ? String(item.value) : JSON.stringify(value);
            for (const port of portsOfEntry(value)) service.ports.push({ ...port, line: lineOf(item), text });
          }
        }
      }
      services.push(service);
    }
  }
  return { ok: true, compose: { path, services } };
}

/** The compose file at the repo root (Compose's order of preference), parsed; undefined when there is none. */
export async function readCompose(repo: RepoReader): Promise<ComposeRead> {
  for (const name of COMPOSE_FILE_NAMES) {
    const text = await repo.read(name);
    if (text !== undefined) return composeFacts(name, text);
  }
  return undefined;
}

/** The host port a service publishes for a container port (TCP), if any. */
export function hostPortFor(service: ComposeService, containerPort: number): PublishedPort | undefined {
  return service.ports.find((p) => p.container === containerPort && p.protocol === 'tcp');
}

/** The first service whose image matches, else the first one with one of the given names. */
export function findService(
  compose: ComposeFacts,
  image: RegExp,
  names: readonly string[],
): ComposeService | undefined {
  return (
    compose.services.find((s) => s.image !== undefined && image.test(s.image)) ??
    compose.services.find((s) => names.includes(s.name))
  );
}

/** The command that starts these compose services, run from the repo root. */
export function startCommand(composePath: string, services: readonly string[]): string {
  const file = (COMPOSE_FILE_NAMES as readonly string[]).includes(composePath) ? '' : ` -f ${composePath}`;
  return `docker compose${file} up -d ${services.join(' ')}`;
}
