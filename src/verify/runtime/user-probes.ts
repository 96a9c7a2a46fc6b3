/**
 * Probes the user states, for routes the code alone cannot show how to call (an API that answers 400 without
 * `?api-key=…`, a route behind a header). Two places, one schema:
 * - the `probes` input (kept in the session): `--set probes='GET /forecast?api-key=demo -> 200'`, or a YAML list;
 * - the file `.trace-guide/probes.yaml`: `probes:` followed by a list.
 * An entry is either the shorthand `[METHOD] /path[?query] [-> STATUS]` or a mapping with service, method, path, query,
 * headers, body and status. When probes are stated for a service, they are the requests sent to it (in the runtime
 * checks, the sampling burst and the doctor) instead of the routes read from its code.
 */
import { parseDocument, isMap, isSeq, LineCounter, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { readRepoText } from '../../repo/read.js';
import type { Service } from '../../types/scan.js';

export const PROBES_FILE = '.trace-guide/probes.yaml';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const SHORTHAND = /^(?:([A-Za-z]+)\s+)?(\/\S*)(?:\s*->\s*(\d{3}))?$/;

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const ProbeObjectSchema = z.strictObject({
  /** The service id or name; may be left out when one service runs. */
  service: z.string().min(1).optional(),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS))
    .default('GET'),
  path: z.string().regex(/^\/[^\s]*$/, 'expected a path starting with / and without spaces'),
  query: z.record(z.string(), ScalarSchema).optional(),
  headers: z.record(z.string(), ScalarSchema).optional(),
  /** A request body (sent as is; give a content-type header with it). */
  body: z.string().optional(),
  /** The status the request should get; a probe answered otherwise is not counted as a probed route. */
  status: z.number().int().min(100).max(599).optional(),
});

const ProbeEntrySchema = z.union([
  z.string().transform((text, ctx) => {
    const m = SHORTHAND.exec(text.trim());
    const method = (m?.[1] ?? 'GET').toUpperCase();
    if (!m || !(METHODS as readonly string[]).includes(method)) {
      ctx.addIssue({ code: 'custom', message: `expected "[METHOD] /path[?query] [-> STATUS]", got "${text}"` });
      return z.NEVER;
    }
    return ProbeObjectSchema.parse({ method, path: m[2], ...(m[3] ? { status: Number(m[3]) } : {}) });
  }),
  ProbeObjectSchema,
]);

const ProbesDocumentSchema = z.union([
  ProbeEntrySchema.transform((p) => [p]),
  z.array(ProbeEntrySchema),
  z.strictObject({ probes: z.array(ProbeEntrySchema) }).transform((d) => d.probes),
]);

export type ProbeSpec = z.infer<typeof ProbeObjectSchema>;

export interface StatedProbe {
  service?: string;
  method: (typeof METHODS)[number];
  /** Path with the query string (a query in the path and one in `query` are merged). */
  pathWithQuery: string;
  headers: Record<string, string>;
  body?: string;
  expectedStatus?: number;
  /** Where it was stated: the input, or the file and line. */
  origin: string;
}

function toStated(spec: ProbeSpec, origin: string): StatedProbe {
  const url = new URL(spec.path, 'http://probe.invalid');
  for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
  return {
    ...(spec.service ? { service: spec.service } : {}),
    method: spec.method,
    pathWithQuery: `${url.pathname}${url.search}`,
    headers: spec.headers ?? {},
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    ...(spec.status !== undefined ? { expectedStatus: spec.status } : {}),
    origin,
  };
}

/** The YAML node at a zod issue path, for its line. */
function nodeAt(root: YamlNode | null, path: readonly PropertyKey[]): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  for (const key of path) {
    if (isSeq(node) && typeof key === 'number') node = node.items[key] as YamlNode | undefined;
    else if (isMap(node))
      node = node.items.find((pair) => String((pair.key as { value?: unknown } | null)?.value) === String(key))
        ?.value as YamlNode | undefined;
    else break;
  }
  return node ?? undefined;
}

/**
 * Parses probes written as YAML (the input's text or the file's). `where` names the source in errors ("the probes
 * input", ".trace-guide/probes.yaml"); errors carry the line. Throws an input error for malformed text.
 */
export function parseProbes(text: string, where: string): StatedProbe[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const line = lines.linePos(error.pos[0]).line;
    throw inputError(`${where}:${line}: not valid YAML: ${error.message.split('\n')[0]}`, probesHint(where));
  }
  if (doc.contents === null) return [];
  const parsed = ProbesDocumentSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = mostTelling(parsed.error.issues);
    const node = nodeAt(doc.contents, issue.path);
    const line = node?.range ? lines.linePos(node.range[0]).line : 1;
    const at = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    throw inputError(`${where}:${line}: ${issue.message}${at}`, probesHint(where));
  }
  const origin = (i: number) => `${where} #${i + 1}`;
  return parsed.data.map((spec, i) => toStated(spec, origin(i)));
}

type Issue = z.core.$ZodIssue;

/**
 * A union reports every branch that failed; the issue that says most is the deepest one, and at one depth a branch's own
 * message (the shorthand's expected form, an unknown key) rather than "expected a string" from a branch not meant.
 */
function mostTelling(issues: readonly Issue[]): Issue {
  const flat = (list: readonly Issue[], base: readonly PropertyKey[]): Issue[] =>
    list.flatMap((i) => {
      const path = [...base, ...i.path];
      return i.code === 'invalid_union' ? i.errors.flatMap((branch) => flat(branch, path)) : [{ ...i, path } as Issue];
    });
  const all = flat(issues, []);
  const weight = (i: Issue) =>
    i.code === 'custom' || i.code === 'unrecognized_keys' ? 0 : i.code === 'invalid_type' ? 2 : 1;
  return all.sort((a, b) => b.path.length - a.path.length || weight(a) - weight(b))[0] ?? issues[0]!;
}

function probesHint(where: string): string {
  return `Write ${where === PROBES_FILE ? 'the file' : 'the input'} as a list of "[METHOD] /path[?query] [-> STATUS]" entries or of mappings with path, query, headers, status (and service when several run), e.g.\nprobes:\n  - path: /forecast\n    query: { api-key: demo }\n    status: 200`;
}

/** Every stated probe: the input's, then the file's (a missing file is no probes; a malformed one is an error). */
export function statedProbes(root: string, input: unknown): StatedProbe[] {
  const fromInput = typeof input === 'string' && input.trim() !== '' ? parseProbes(input, 'the probes input') : [];
  const read = readRepoText(root, PROBES_FILE);
  if (!read.ok) {
    if (read.reason === 'missing') return fromInput;
    throw inputError(
      `${PROBES_FILE} cannot be read: ${read.message}`,
      'Make it a regular file inside the repository, or remove it.',
    );
  }
  return [...fromInput, ...parseProbes(read.text, PROBES_FILE)];
}

/**
 * Every stated probe must reach a chosen service: one naming a service that is not chosen, or naming none while several
 * are chosen, is an input error (it would silently never be sent).
 */
export function checkProbeServices(stated: readonly StatedProbe[], services: readonly Service[]): void {
  const known = services.map((s) => s.id).join(', ');
  for (const p of stated) {
    if (p.service === undefined && services.length > 1) {
      throw inputError(
        `${p.origin} names no service, and ${services.length} services are chosen`,
        `Add "service:" with one of: ${known}.`,
      );
    }
    if (p.service !== undefined && !services.some((s) => s.id === p.service || s.name === p.service)) {
      throw inputError(
        `${p.origin} names the service "${p.service}", which is not a chosen service`,
        `Chosen services: ${known}.`,
      );
    }
  }
}

/**
 * The stated probes meant for a service: those naming it (by id or name), and those naming none when it is the only
 * service (checkProbeServices refuses the other cases before anything starts).
 */
export function probesForService(
  stated: readonly StatedProbe[],
  service: Service,
  onlyService: boolean,
): StatedProbe[] {
  return stated.filter((p) =>
    p.service === undefined ? onlyService : p.service === service.id || p.service === service.name,
  );
}
