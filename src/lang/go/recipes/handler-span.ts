/**
 * The body of one Go HTTP handler with an INTERNAL business span: started from the request's context first thing,
 * ended by `defer`, its context put back on the request (so code below and the outbound calls see the span), errors
 * recorded in the handler's `if err != nil {` blocks and before 5xx responses, business attributes set once the request
 * struct is bound, and database/sql calls given the span's context (QueryContext, ExecContext...).
 */
import type { GoHandler } from './go-handlers.js';
import { matchingBrace } from './go-syntax.js';

export interface StructField {
  name: string;
  type: string;
}

export interface SpanOptions {
  spanName: string;
  /** Business attribute keys from the input (e.g. app.order.id). */
  business: readonly string[];
  /** The fields of a struct type, when the package declares it. */
  structFields(typeName: string): StructField[] | undefined;
  /** Identifiers known to hold a *sql.DB, *sql.Tx, *sql.Conn or *sql.Stmt. */
  sqlReceivers: ReadonlySet<string>;
}

export interface InstrumentedBody {
  body: string;
  /** Whether codes / attribute are used (imports to add). */
  usesCodes: boolean;
  usesAttribute: boolean;
  attributes: string[];
  errorsRecorded: number;
  sqlCalls: number;
}

interface Change {
  at: number;
  end: number;
  text: string;
}

/** Go's attribute constructor for a field type, if the type is one an attribute can hold. */
function attributeFor(type: string): string | undefined {
  return (
    {
      string: 'String',
      int: 'Int',
      int64: 'Int64',
      int32: 'Int',
      float64: 'Float64',
      float32: 'Float64',
      bool: 'Bool',
    } as Record<string, string>
  )[type];
}

/** The struct field an attribute key names (app.order.sku → SKU, app.order.id → OrderID or ID), case-insensitively. */
function fieldFor(key: string, fields: readonly StructField[]): StructField | undefined {
  const parts = key.split('.');
  const last = parts[parts.length - 1]!.replace(/_/g, '').toLowerCase();
  const lastTwo = parts.slice(-2).join('').replace(/_/g, '').toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lastTwo) ?? fields.find((f) => f.name.toLowerCase() === last);
}

const BIND =
  /^([ \t]*)(?:if\s+)?(?:err\s*:?=\s*)?(\w+)\.(?:ShouldBindJSON|ShouldBind|BindJSON|Bind|ShouldBindQuery|ShouldBindWith)\(&(\w+)(?:,[^)]*)?\)|^([ \t]*)(?:if\s+)?(?:err\s*:?=\s*)?json\.NewDecoder\([^)]*\)\.Decode\(&(\w+)\)/gm;
const ERR_BLOCK = /^([ \t]*)(?:\}\s*else\s+)?if\s+(?:[^\n{;]*;\s*)?(\w*[eE]rr\w*)\s*!=\s*nil\s*\{[ \t]*\n/gm;
const SERVER_ERROR_WRITE =
  /^([ \t]*)(?:return\s+)?(?:\w+\.(?:JSON|String|XML|AbortWithStatus|AbortWithStatusJSON|Status|NoContent|WriteHeader)|http\.Error)\([^\n]*?(?:http\.Status(InternalServerError|NotImplemented|BadGateway|ServiceUnavailable|GatewayTimeout)\b|(?<![\w.])(5\d\d)(?=\s*[,)]))/gm;
const SQL_CALL = /\b(\w+)\.(Query|QueryRow|Exec|Prepare|Begin)\(/g;

/**
 * The instrumented body (the text between the handler's braces), or a reason it is not edited. `body` starts after the
 * `{`; its first line is the first statement.
 */
export function instrumentBody(
  body: string,
  handler: Pick<GoHandler, 'requestContext' | 'attachContext'>,
  options: SpanOptions,
): InstrumentedBody | { reason: string } {
  if (!body.startsWith('\n')) return { reason: 'its body is on one line' };
  if (/\bspan\b/.test(body)) return { reason: 'it already has a variable named span' };
  const indent = /^\n+([ \t]+)/.exec(body)?.[1];
  if (!indent) return { reason: 'its body is empty' };
  const ctxVar = /\bctx\b/.test(body) ? 'spanCtx' : 'ctx';
  const changes: Change[] = [];
  let usesCodes = false;

  const errRanges: Array<[number, number]> = [];
  let errorsRecorded = 0;
  for (const m of body.matchAll(ERR_BLOCK)) {
    const open = m.index + m[0].trimEnd().length - 1;
    const close = matchingBrace(body, open);
    if (close === -1) continue;
    errRanges.push([open, close]);
    if (/\bRecordError\(/.test(body.slice(open, close))) continue;
    const inner = `${m[1]}\t`;
    const err = m[2]!;
    changes.push({
      at: m.index + m[0].length,
      end: m.index + m[0].length,
      text: `${inner}span.RecordError(${err})\n${inner}span.SetStatus(codes.Error, ${err}.Error())\n`,
    });
    usesCodes = true;
    errorsRecorded++;
  }
  for (const m of body.matchAll(SERVER_ERROR_WRITE)) {
    if (errRanges.some(([a, b]) => m.index > a && m.index < b)) continue; // the error is recorded at the block's start
    const status = m[2] ? `http.Status${m[2]}` : m[3]!;
    const text = m[2] ? m[2].replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : `status ${status}`;
    changes.push({ at: m.index, end: m.index, text: `${m[1]}span.SetStatus(codes.Error, ${JSON.stringify(text)})\n` });
    usesCodes = true;
  }

  const attributes: string[] = [];
  if (options.business.length > 0) {
    for (const m of body.matchAll(BIND)) {
      const lineIndent = m[1] ?? m[4] ?? '';
      const variable = m[3] ?? m[5]!;
      if (lineIndent !== indent) break; // bound inside a nested block: no single place after it
      const typeName = new RegExp(`\\b(?:var\\s+${variable}\\s+\\*?|${variable}\\s*:?=\\s*&?)(\\w+)\\b`).exec(
        body,
      )?.[1];
      const fields = typeName ? options.structFields(typeName) : undefined;
      if (!fields) break;
      const sets = options.business.flatMap((key) => {
        const field = fieldFor(key, fields);
        const ctor = field ? attributeFor(field.type) : undefined;
        if (!field || !ctor) return [];
        attributes.push(key);
        return [
          `attribute.${ctor}(${JSON.stringify(key)}, ${field.type === 'int32' ? `int(${variable}.${field.name})` : field.type === 'float32' ? `float64(${variable}.${field.name})` : `${variable}.${field.name}`})`,
        ];
      });
      if (sets.length === 0) break;
      const after = statementEnd(body, m.index);
      if (after === -1) break;
      changes.push({ at: after, end: after, text: `${indent}span.SetAttributes(${sets.join(', ')})\n` });
      break;
    }
  }

  let sqlCalls = 0;
  for (const m of body.matchAll(SQL_CALL)) {
    if (!options.sqlReceivers.has(m[1]!)) continue;
    const method = m[2] === 'Begin' ? 'BeginTx' : `${m[2]}Context`;
    const rest = m[2] === 'Begin' ? `${ctxVar}, nil` : `${ctxVar}, `;
    const empty = body[m.index + m[0].length] === ')';
    if (m[2] !== 'Begin' && empty) continue;
    if (m[2] === 'Begin' && !empty) continue;
    changes.push({ at: m.index, end: m.index + m[0].length, text: `${m[1]}.${method}(${rest}` });
    sqlCalls++;
  }

  const attach = handler.attachContext.replace('%CTX%', ctxVar);
  changes.push({
    at: 1,
    end: 1,
    text: `${indent}${ctxVar}, span := tracer.Start(${handler.requestContext}, ${JSON.stringify(options.spanName)}, trace.WithSpanKind(trace.SpanKindInternal))\n${indent}defer span.End()\n${indent}${attach}\n`,
  });

  changes.sort((a, b) => b.at - a.at || b.end - a.end);
  let out = body;
  for (const c of changes) out = out.slice(0, c.at) + c.text + out.slice(c.end);
  return { body: out, usesCodes, usesAttribute: attributes.length > 0, attributes, errorsRecorded, sqlCalls };
}

/**
 * Index just after the statement starting on the line at `lineStart`: after the closing brace's line for
 * `if …; err != nil { … }`, after a following `if err != nil { … }` for `err := …`, else after the line. -1 when unclear.
 */
function statementEnd(body: string, lineStart: number): number {
  const lineEnd = body.indexOf('\n', lineStart);
  if (lineEnd === -1) return -1;
  const line = body.slice(lineStart, lineEnd);
  if (/^\s*if\b/.test(line)) {
    if (!line.trimEnd().endsWith('{')) return -1;
    const close = matchingBrace(body, lineStart + line.trimEnd().length - 1);
    const after = close === -1 ? -1 : body.indexOf('\n', close);
    return after === -1 || body.slice(close + 1, after).trim() !== '' ? -1 : after + 1;
  }
  const next = /^[ \t]*if\s+err\s*!=\s*nil\s*\{[ \t]*\n/.exec(body.slice(lineEnd + 1));
  if (next) {
    const open = lineEnd + 1 + next[0].trimEnd().length - 1;
    const close = matchingBrace(body, open);
    const after = close === -1 ? -1 : body.indexOf('\n', close);
    return after === -1 || body.slice(close + 1, after).trim() !== '' ? -1 : after + 1;
  }
  return lineEnd + 1;
}
