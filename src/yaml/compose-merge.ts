/**
 * Merging services into a Compose file without disturbing it: the user's comments, order and other services stay;
 * services that already exist are left alone (idempotent); a host port another service already publishes is moved to a
 * free alternative (4317 → 14317) and reported. No top-level `version:` key is ever written.
 */
import { Pair, isMap, isScalar, isSeq, YAMLMap, type Document } from 'yaml';
import { formatShortSyntax, hostPortsOfEntry, splitShortSyntax } from '../compose/port-entries.js';
import { alternativePort } from '../edit/free-compose-port.js';
import { clonePair, parseYaml, stringifyLike } from './merge.js';

/** The file names Compose looks for in a project directory, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

export interface PortMove {
  service: string;
  from: number;
  to: number;
  /** Who already had the port: a compose service, or a description such as "the gateway service (port 3000)". */
  takenBy: string;
}

export interface ComposeMergeResult {
  ok: true;
  /** The new file text (equal to the current text when nothing changed). */
  text: string;
  changed: boolean;
  added: string[];
  /** Services of the addition that the file already had (left as they are). */
  present: string[];
  moved: PortMove[];
}

export interface ComposeParseFailure {
  ok: false;
  message: string;
  line: number;
  col: number;
}

/** The `services:` map of a compose document, if it has one. */
export function servicesMap(doc: Document): YAMLMap | undefined {
  const node = doc.get('services', true);
  return isMap(node) ? node : undefined;
}

export function serviceNames(doc: Document): string[] {
  return (servicesMap(doc)?.items ?? []).map((p) => String(isScalar(p.key) ? p.key.value : p.key));
}

export function serviceImage(doc: Document, name: string): string | undefined {
  const image = doc.getIn(['services', name, 'image']);
  return typeof image === 'string' ? image : undefined;
}

/** The first service whose image matches, e.g. /^(.*\/)?jaegertracing\/jaeger:/. */
export function findServiceByImage(doc: Document, image: RegExp): string | undefined {
  return serviceNames(doc).find((name) => image.test(serviceImage(doc, name) ?? ''));
}

/** Every host port published in the file → the service publishing it. */
export function publishedHostPorts(doc: Document): Map<number, string> {
  const out = new Map<number, string>();
  for (const pair of servicesMap(doc)?.items ?? []) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    if (!isMap(pair.value)) continue;
    const ports = pair.value.get('ports', true);
    if (!isSeq(ports)) continue;
    for (const item of ports.items) {
      const value = isScalar(item) ? item.value : isMap(item) ? item.toJSON() : undefined;
      for (const port of hostPortsOfEntry(value)) if (!out.has(port)) out.set(port, name);
    }
  }
  return out;
}

/**
 * Rewrites the host side of a service's published ports where `decide` returns a new port (the container side, host
 * ip, protocol and the entry's comment stay). Port ranges are left alone. Returns the moves made.
 */
export function rewriteHostPorts(
  service: YAMLMap,
  decide: (hostPort: number) => number | undefined,
): Array<{ from: number; to: number }> {
  const moves: Array<{ from: number; to: number }> = [];
  const ports = service.get('ports', true);
  if (!isSeq(ports)) return moves;
  for (const item of ports.items) {
    if (isScalar(item) && typeof item.value === 'string') {
      const parts = splitShortSyntax(item.value);
      if (!parts?.host || parts.host.includes('-')) continue;
      const from = Number(parts.host);
      const to = decide(from);
      if (to === undefined || to === from) continue;
      item.value = formatShortSyntax({ ...parts, host: String(to) });
      moves.push({ from, to });
    } else if (isMap(item)) {
      const published = item.get('published');
      const from = typeof published === 'number' ? published : Number(published);
      if (!Number.isInteger(from) || from <= 0) continue;
      const to = decide(from);
      if (to === undefined || to === from) continue;
      item.set('published', typeof published === 'string' ? String(to) : to);
      moves.push({ from, to });
    }
  }
  return moves;
}

/** Parses a compose file; a malformed one comes back with where it breaks (so it is reported, never overwritten). */
export function parseCompose(text: string): { ok: true; doc: Document.Parsed } | ComposeParseFailure {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const contents = parsed.doc.contents;
  if (contents !== null && !isMap(contents)) {
    return {
      ok: false,
      message: 'the top level of a compose file must be a mapping (services:, volumes:, ...)',
      line: 1,
      col: 1,
    };
  }
  const services = parsed.doc.get('services', true);
  if (
    services !== undefined &&
    services !== null &&
    !isMap(services) &&
    !(isScalar(services) && services.value === null)
  ) {
    const range = (services as { range?: [number, number, number] }).range;
    const line = range ? text.slice(0, range[0]).split('\n').length : 1;
    return { ok: false, message: '`services:` must be a mapping of service names', line, col: 1 };
  }
  return parsed;
}

export interface MergeOptions {
  /** Host ports in use outside the file (e.g. the repo's own services): port → who uses it. */
  reservedPorts?: ReadonlyMap<number, string>;
}

/**
 * Adds the services (and named volumes) of `addition` — a compose document, usually a rendered template — to `current`,
 * or, when there is no current file, returns the addition itself with any reserved host port moved.
 */
export function mergeComposeServices(
  current: string | undefined,
  addition: string,
  options: MergeOptions = {},
): ComposeMergeResult | ComposeParseFailure {
  const source = parseCompose(addition);
  if (!source.ok) throw new Error(`compose template does not parse: ${source.message} (line ${source.line})`);
  const reserved = options.reservedPorts ?? new Map<number, string>();

  if (current === undefined) {
    const taken = new Map(reserved);
    const moved = relocateServices(source.doc, serviceNames(source.doc), taken);
    return {
      ok: true,
      text: stringifyLike(source.doc),
      changed: true,
      added: serviceNames(source.doc),
      present: [],
      moved,
    };
  }

  const target = parseCompose(current);
  if (!target.ok) return target;
  const doc = target.doc;
  const taken = new Map<number, string>([...reserved, ...publishedHostPorts(doc)]);
  let services = servicesMap(doc);
  const added: string[] = [];
  const present: string[] = [];
  const moved: PortMove[] = [];
  const sourceServices = servicesMap(source.doc);
  // Follow the file's style: a blank line between services only when the file already separates them so.
  const spaced = (services?.items ?? []).some((p, i) => i > 0 && isScalar(p.key) && p.key.spaceBefore);
  for (const [index, pair] of (sourceServices?.items ?? []).entries()) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    if (services?.has(name)) {
      present.push(name);
      continue;
    }
    if (!services) {
      services = new YAMLMap();
      if (doc.contents === null || !isMap(doc.contents)) doc.contents = new YAMLMap() as never;
      doc.set('services', services);
    }
    const copy = clonePair(sourceServices!, index);
    if (isScalar(copy.key)) copy.key.spaceBefore = spaced && services.items.length > 0;
    if (isMap(copy.value)) moved.push(...relocate(name, copy.value, taken));
    services.items.push(copy);
    added.push(name);
  }
  if (added.length > 0) {
    // Named volumes the new services use.
    const sourceVolumes = source.doc.get('volumes', true);
    if (isMap(sourceVolumes)) {
      let volumes = doc.get('volumes', true);
      if (!isMap(volumes)) {
        volumes = new YAMLMap();
        doc.set('volumes', volumes);
      }
      const targetVolumes = volumes as YAMLMap;
      for (const vol of sourceVolumes.items) {
        const key = isScalar(vol.key) ? vol.key.value : vol.key;
        if (!targetVolumes.has(key)) targetVolumes.items.push(vol.clone() as Pair);
      }
    }
  }
  const changed = added.length > 0;
  return { ok: true, text: changed ? stringifyLike(doc, current) : current, changed, added, present, moved };
}

/**
 * Moves the host ports of services in an existing document by an explicit map (e.g. the backend's 4317 → 14317 when a
 * Collector takes 4317 in front of it). Returns the text and the moves made; the text is unchanged when nothing moved.
 */
export function republishPorts(
  current: string,
  service: string,
  moves: ReadonlyMap<number, number>,
): { ok: true; text: string; moved: PortMove[] } | ComposeParseFailure {
  const parsed = parseCompose(current);
  if (!parsed.ok) return parsed;
  const node = parsed.doc.getIn(['services', service], true);
  if (!isMap(node)) return { ok: true, text: current, moved: [] };
  const made = rewriteHostPorts(node, (port) => moves.get(port));
  if (made.length === 0) return { ok: true, text: current, moved: [] };
  return {
    ok: true,
    text: stringifyLike(parsed.doc, current),
    moved: made.map((m) => ({ service, ...m, takenBy: 'the new service in front of it' })),
  };
}

function relocateServices(doc: Document, names: string[], taken: Map<number, string>): PortMove[] {
  const moved: PortMove[] = [];
  for (const name of names) {
    const node = doc.getIn(['services', name], true);
    if (isMap(node)) moved.push(...relocate(name, node, taken));
  }
  return moved;
}

/** Moves the service's host ports that are taken, then marks its ports as taken by it. */
function relocate(name: string, service: YAMLMap, taken: Map<number, string>): PortMove[] {
  const moved: PortMove[] = [];
  const used = new Set(taken.keys());
  const decide = (port: number): number | undefined => {
    if (!taken.has(port)) return undefined;
    const alternative = alternativePort(port, used);
    used.add(alternative);
    return alternative;
  };
  for (const { from, to } of rewriteHostPorts(service, decide)) {
    moved.push({ service: name, from, to, takenBy: taken.get(from) ?? 'another service' });
  }
  const ports = service.get('ports', true);
  if (isSeq(ports)) {
    for (const item of ports.items) {
      const value = isScalar(item) ? item.value : isMap(item) ? item.toJSON() : undefined;
      for (const port of hostPortsOfEntry(value)) taken.set(port, name);
    }
  }
  return moved;
}
