/**
 * The oracle: a small OTLP/HTTP trace receiver for the end-to-end tests, written from scratch and sharing no code with
 * src/ (not the product's receiver, decoder or checks), so what it reports is an independent judgement of what arrived.
 * POST /v1/traces with JSON (`application/json`) or protobuf (`application/x-protobuf`, decoded with protobufjs from the
 * minimal schema text below), gzip optional. Plain .mjs (types in oracle-receiver.d.mts) so bench/corpus.mjs can run it too. Listens on 127.0.0.1 on a free port; close() stops it.
 */
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

export const SPAN_KIND_SERVER = 2;

// Only the fields the oracle reads, with the field numbers of the OTLP trace request.
const PROTO = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message Scope { string name = 1; string version = 2; }
message Status { string message = 2; int32 code = 3; }
message Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; int32 kind = 6; repeated KeyValue attributes = 9; Status status = 15; }
message ScopeSpans { Scope scope = 1; repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;
const REQUEST = protobuf.parse(PROTO, { keepCase: false }).root.lookupType('ExportTraceServiceRequest');

function valueOf(v) {
  if (!v) return undefined;
  for (const key of ['stringValue', 'boolValue', 'intValue', 'doubleValue'])
    if (v[key] !== undefined && v[key] !== null) return key === 'intValue' ? Number(v[key]) : v[key];
  return undefined;
}

function attrs(list) {
  const out = {};
  for (const kv of list ?? []) out[kv.key] = valueOf(kv.value);
  return out;
}

/** JSON ids are hex (the OTLP/JSON rule); protobuf ids are bytes, turned to hex here. */
function hexId(id) {
  if (id === undefined || id === null) return '';
  if (typeof id === 'string') return id.toLowerCase();
  return Buffer.from(id).toString('hex');
}

function spansOf(request) {
  const out = [];
  for (const rs of request.resourceSpans ?? []) {
    const service = String(attrs(rs.resource?.attributes)['service.name'] ?? '');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
          name: String(s.name ?? ''),
          kind: Number(s.kind ?? 0),
          scope: String(ss.scope?.name ?? ''),
          service,
          statusCode: Number(s.status?.code ?? 0),
          attributes: attrs(s.attributes),
        });
      }
    }
  }
  return out;
}

export async function startOracle() {
  const spans = [];
  const rejected = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      try {
        let body = Buffer.concat(chunks);
        if ((req.headers['content-encoding'] ?? '').includes('gzip')) body = gunzipSync(body);
        const type = String(req.headers['content-type'] ?? '');
        if (type.includes('json')) {
          spans.push(...spansOf(JSON.parse(body.toString('utf8'))));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else if (type.includes('protobuf')) {
          const decoded = REQUEST.toObject(REQUEST.decode(body), { longs: Number, bytes: Buffer, defaults: false });
          spans.push(...spansOf(decoded));
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        } else {
          rejected.push(`unsupported content-type ${type}`);
          res.writeHead(415).end();
        }
      } catch (error) {
        rejected.push(String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  server.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    rejected,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
