/**
 * YAML configuration files of the trace stack, parsed with positions: compose files, Tempo configs, Collector configs
 * and Grafana datasource provisioning, found by content rather than by name, so hand-written layouts are found too.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Evidence } from '../types/scan.js';
import type { SourceContext } from './source-context.js';
import { lineTextAt } from '../repo/text.js';
import { readText, repoFiles } from './repo-files.js';
import { portMappings } from '../compose/port-entries.js';

export interface YamlFile {
  path: string;
  text: string;
  doc: Document;
  /** Plain JS value of the document (undefined when it did not parse). */
  value: unknown;
  lines: LineCounter;
  /** Parse errors as "line:col message". */
  errors: string[];
}

const COMPOSE_NAME = /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)*\.ya?ml$/;

export async function yamlFiles(ctx: Pick<SourceContext, 'root' | 'repo'>): Promise<YamlFile[]> {
  const out: YamlFile[] = [];
  for (const rel of await repoFiles(ctx)) {
    if (!/\.ya?ml$/.test(rel)) continue;
    const text = await readText(ctx, rel);
    if (text === undefined) continue;
    out.push(parseYaml(rel, text));
  }
  return out;
}

export function parseYaml(path: string, text: string): YamlFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const errors = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return `${pos.line}:${pos.col} ${e.message.split('\n')[0]}`;
  });
  let value: unknown;
  try {
    value = errors.length === 0 ? doc.toJS() : undefined;
  } catch {
    value = undefined;
  }
  return { path, text, doc, value, lines, errors };
}

export const isComposeFile = (f: YamlFile): boolean => COMPOSE_NAME.test(f.path);

/** Evidence for the node at a key path (or the nearest existing parent). */
export function yamlEvidence(file: YamlFile, keyPath: (string | number)[]): Evidence {
  let node: unknown = file.doc.contents;
  let at: Node | undefined = isNodeLike(node) ? node : undefined;
  for (const key of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      if (isNodeLike(pair.key)) at = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (isNodeLike(node)) at = node;
    } else break;
  }
  const offset = at?.range?.[0] ?? 0;
  const line = file.lines.linePos(offset).line;
  return { file: file.path, line, text: lineTextAt(file.text, offset) };
}

function isNodeLike(n: unknown): n is Node {
  return typeof n === 'object' && n !== null && 'range' in n;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function valueAt(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) cur = asRecord(cur)?.[k];
  return cur;
}

/** Compose services of a file, by name. */
export function composeServices(f: YamlFile): Record<string, Record<string, unknown>> {
  const services = asRecord(valueAt(f.value, 'services')) ?? {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, s] of Object.entries(services)) out[name] = asRecord(s) ?? {};
  return out;
}

/** Published ports of a compose service, one per container port (ranges expanded), with the entry as written. */
export function composePorts(
  service: Record<string, unknown>,
): { host?: number; container: number; protocol: string; raw: string }[] {
  return asArray(service.ports).flatMap((entry) => {
    const raw = typeof entry === 'string' || typeof entry === 'number' ? String(entry) : JSON.stringify(entry);
    return portMappings(entry).map(({ host, container, protocol }) => ({
      ...(host !== undefined ? { host } : {}),
      container,
      protocol,
      raw,
    }));
  });
}

/** A Tempo config: has distributor.receivers, or storage.trace. */
export const isTempoConfig = (f: YamlFile): boolean =>
  asRecord(valueAt(f.value, 'distributor')) !== undefined ||
  asRecord(valueAt(f.value, 'storage', 'trace')) !== undefined;

/** An OpenTelemetry Collector config: receivers plus service.pipelines. */
export const isCollectorConfig = (f: YamlFile): boolean =>
  asRecord(valueAt(f.value, 'receivers')) !== undefined &&
  asRecord(valueAt(f.value, 'service', 'pipelines')) !== undefined;

/** Grafana datasource provisioning: apiVersion plus a datasources list. */
export const isDatasourceProvisioning = (f: YamlFile): boolean => Array.isArray(valueAt(f.value, 'datasources'));

/** Compose files that mount this config file into a container (the services using it), by service name. */
export function servicesMounting(
  compose: YamlFile[],
  configPath: string,
): { file: YamlFile; name: string; service: Record<string, unknown> }[] {
  const out: { file: YamlFile; name: string; service: Record<string, unknown> }[] = [];
  const base = configPath.slice(configPath.lastIndexOf('/') + 1);
  for (const f of compose) {
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/') + 1) : '';
    for (const [name, service] of Object.entries(composeServices(f))) {
      const mounts = asArray(service.volumes).map((v) =>
        typeof v === 'string' ? v : String(asRecord(v)?.source ?? ''),
      );
      const hit = mounts.some((m) => {
        const src = m.split(':')[0] ?? '';
        const norm = (dir + src.replace(/^\.\//, '')).replace(/\/\.\//g, '/');
        return norm === configPath || (src.endsWith('/' + base) && configPath.endsWith(src.replace(/^\.\//, '')));
      });
      if (hit) out.push({ file: f, name, service });
    }
  }
  return out;
}
