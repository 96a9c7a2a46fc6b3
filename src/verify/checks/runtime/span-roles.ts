/**
 * The role a span plays, read from the attributes it arrived with (never from its kind): handling an incoming HTTP
 * request, an outgoing HTTP or database call, a message send or receive. A span whose attributes say nothing certain
 * has no role here and is not judged by it. Old (http.*, net.*) and stable (url.*, server.*, client.*) semantic
 * conventions are both read; an attribute found on both sides of a call in either convention (http.url, server.address,
 * http.target) decides nothing alone.
 */
import type { ReceivedSpan, SpanKindName } from '../../receiver/span.js';

export type SpanRole = 'incoming request' | 'outgoing call' | 'message send' | 'message receive' | 'message processing';

/** The kinds each role may have (semantic conventions: a receive that pulls messages may be CLIENT, as may a send of a batch). */
export const KINDS_OF_ROLE: Record<SpanRole, readonly SpanKindName[]> = {
  'incoming request': ['server'],
  'outgoing call': ['client'],
  'message send': ['producer', 'client'],
  'message receive': ['consumer', 'client'],
  'message processing': ['consumer'],
};

/** Attributes only a server span of an HTTP request carries. */
const SERVER_ONLY = [
  'http.route',
  'client.address',
  'net.host.name',
  'net.host.port',
  'http.client_ip',
  'http.server_name',
];
/** Attributes only an outgoing call carries (url.full is never set on a server span; net.peer.name names the callee). */
const CLIENT_ONLY = ['url.full', 'net.peer.name', 'peer.service'];
const DB_SYSTEM = ['db.system.name', 'db.system'];
const HTTP_METHOD = ['http.request.method', 'http.method'];
const MESSAGING_OPERATION = ['messaging.operation.type', 'messaging.operation'];

function has(span: ReceivedSpan, keys: readonly string[]): string | undefined {
  return keys.find((k) => span.attributes[k] !== undefined && span.attributes[k] !== '');
}

function messagingRole(span: ReceivedSpan): SpanRole | undefined {
  if (has(span, ['messaging.system']) === undefined) return undefined;
  const key = has(span, MESSAGING_OPERATION);
  const op = key ? String(span.attributes[key]).toLowerCase() : '';
  if (op === 'publish' || op === 'send' || op === 'create') return 'message send';
  if (op === 'receive') return 'message receive';
  if (op === 'process' || op === 'deliver') return 'message processing';
  return undefined;
}

/** The role the span's attributes give it, and the attribute that says so; undefined when they do not tell. */
export function roleOf(span: ReceivedSpan): { role: SpanRole; because: string } | undefined {
  const messaging = messagingRole(span);
  if (messaging)
    return {
      role: messaging,
      because: `messaging.system with operation ${String(span.attributes[has(span, MESSAGING_OPERATION)!])}`,
    };
  const db = has(span, DB_SYSTEM);
  if (db) return { role: 'outgoing call', because: `${db}=${String(span.attributes[db])}` };
  const method = has(span, HTTP_METHOD);
  if (!method) return undefined;
  const serverOnly = has(span, SERVER_ONLY);
  const clientOnly = has(span, CLIENT_ONLY);
  if (clientOnly && !serverOnly) return { role: 'outgoing call', because: `${method} with ${clientOnly}` };
  if (serverOnly && !clientOnly) return { role: 'incoming request', because: `${method} with ${serverOnly}` };
  // Stable conventions: a server span has url.path (and no url.full); a client span has url.full instead.
  if (!clientOnly && !serverOnly && has(span, ['url.path']) && has(span, ['url.scheme']))
    return { role: 'incoming request', because: `${method} with url.path and no url.full` };
  return undefined;
}
