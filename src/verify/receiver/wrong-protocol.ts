/**
 * Arrivals that are not OTLP traces where the receiver expected them — an HTTP/1.1 POST at the gRPC port, gRPC at the
 * HTTP port, TLS at a plaintext port, `/v1/traces/v1/traces` — described so that a diagnosis can say exactly what
 * arrived where, and what to change.
 */

export type ReceiverPortRole = 'otlp-http' | 'otlp-grpc';

export type WrongProtocolKind =
  | 'http1-at-grpc-port'
  | 'grpc-at-http-port'
  | 'http2-at-http-port'
  | 'tls-at-plaintext-port'
  | 'unrecognized-bytes'
  | 'wrong-path';

export interface WrongProtocolArrival {
  kind: WrongProtocolKind;
  /** The port it arrived at, and what that port is for. */
  port: number;
  portRole: ReceiverPortRole;
  method?: string;
  path?: string;
  contentType?: string;
  remoteAddress?: string;
  /** Epoch milliseconds. */
  at: number;
  /** One sentence: what arrived where. */
  summary: string;
  /** One sentence: what to change. */
  hint: string;
}

/** The two ports of a running receiver, so a hint can name the right one. */
export interface ReceiverPorts {
  host: string;
  httpPort: number;
  grpcPort: number;
}

interface RequestDetails {
  method?: string | undefined;
  path?: string | undefined;
  contentType?: string | undefined;
  remoteAddress?: string | undefined;
}

function roleLabel(role: ReceiverPortRole): string {
  return role === 'otlp-http' ? 'OTLP/HTTP' : 'OTLP/gRPC';
}

function portOf(ports: ReceiverPorts, role: ReceiverPortRole): number {
  return role === 'otlp-http' ? ports.httpPort : ports.grpcPort;
}

function describeRequest(details: RequestDetails): string {
  const contentType = details.contentType ? ` (${details.contentType})` : '';
  return `${details.method ?? '?'} ${details.path ?? '?'}${contentType}`;
}

function arrival(
  kind: WrongProtocolKind,
  role: ReceiverPortRole,
  ports: ReceiverPorts,
  details: RequestDetails,
  summary: string,
  hint: string,
): WrongProtocolArrival {
  const result: WrongProtocolArrival = {
    kind,
    port: portOf(ports, role),
    portRole: role,
    at: Date.now(),
    summary,
    hint,
  };
  if (details.method !== undefined) result.method = details.method;
  if (details.path !== undefined) result.path = details.path;
  if (details.contentType !== undefined) result.contentType = details.contentType;
  if (details.remoteAddress !== undefined) result.remoteAddress = details.remoteAddress;
  return result;
}

export function http1AtGrpcPort(ports: ReceiverPorts, details: RequestDetails): WrongProtocolArrival {
  return arrival(
    'http1-at-grpc-port',
    'otlp-grpc',
    ports,
    details,
    `An HTTP/1.1 request ${describeRequest(details)} arrived at the OTLP/gRPC port ${ports.grpcPort}.`,
    `An OTLP/HTTP exporter is pointed at the gRPC port: send it to http://${ports.host}:${ports.httpPort}` +
      ` (OTEL_EXPORTER_OTLP_ENDPOINT=http://${ports.host}:${ports.httpPort}), or switch it to gRPC with` +
      ' OTEL_EXPORTER_OTLP_PROTOCOL=grpc.',
  );
}

export function grpcAtHttpPort(ports: ReceiverPorts, details: RequestDetails): WrongProtocolArrival {
  return arrival(
    'grpc-at-http-port',
    'otlp-http',
    ports,
    details,
    `A gRPC call ${details.path ?? ''} arrived at the OTLP/HTTP port ${ports.httpPort}.`,
    `A gRPC exporter is pointed at the HTTP port: send it to http://${ports.host}:${ports.grpcPort}, or switch it to` +
      ' OTLP/HTTP with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf.',
  );
}

export function http2AtHttpPort(ports: ReceiverPorts, details: RequestDetails): WrongProtocolArrival {
  return arrival(
    'http2-at-http-port',
    'otlp-http',
    ports,
    details,
    `An HTTP/2 request ${describeRequest(details)} that is not gRPC arrived at the OTLP/HTTP port ${ports.httpPort}.`,
    'OTLP/HTTP is served over HTTP/1.1 here: let the client use HTTP/1.1, or use a gRPC exporter on port ' +
      `${ports.grpcPort}.`,
  );
}

export function tlsAtPlaintextPort(
  ports: ReceiverPorts,
  role: ReceiverPortRole,
  remoteAddress?: string,
): WrongProtocolArrival {
  const port = portOf(ports, role);
  return arrival(
    'tls-at-plaintext-port',
    role,
    ports,
    { remoteAddress },
    `A TLS handshake arrived at the plaintext ${roleLabel(role)} port ${port}.`,
    `The exporter uses https:// or a secure gRPC channel, but the local receiver speaks plain text: use` +
      ` http://${ports.host}:${port}` +
      (role === 'otlp-grpc' ? ' and an insecure channel (OTEL_EXPORTER_OTLP_INSECURE=true).' : '.'),
  );
}

export function unrecognizedBytes(
  ports: ReceiverPorts,
  role: ReceiverPortRole,
  firstBytes: Uint8Array,
  remoteAddress?: string,
): WrongProtocolArrival {
  const port = portOf(ports, role);
  const hex = Buffer.from(firstBytes.subarray(0, 16)).toString('hex');
  return arrival(
    'unrecognized-bytes',
    role,
    ports,
    { remoteAddress },
    `Bytes that are neither HTTP/1.1 nor HTTP/2 (first bytes 0x${hex}) arrived at the ${roleLabel(role)} port ${port}.`,
    `Only OTLP exporters should send to port ${port}: check which program is configured with it.`,
  );
}

/** Where `path` is not `/v1/traces`: a doubled path, another signal, or a path without the signal. */
export function wrongPathAtHttpPort(
  ports: ReceiverPorts,
  details: RequestDetails & { path: string },
): WrongProtocolArrival {
  const base = `http://${ports.host}:${ports.httpPort}`;
  const what = `${describeRequest(details)} arrived at the OTLP/HTTP port ${ports.httpPort}`;
  if (details.path.endsWith('/v1/traces')) {
    return arrival(
      'wrong-path',
      'otlp-http',
      ports,
      details,
      `${what}; traces are received at /v1/traces only, and this path has extra segments before it` +
        (details.path.startsWith('/v1/traces/') ? ' (/v1/traces twice).' : '.'),
      `OTEL_EXPORTER_OTLP_ENDPOINT is the base URL (${base}) and the SDK appends /v1/traces to it; only` +
        ` OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or an exporter's url option take the full URL (${base}/v1/traces).`,
    );
  }
  if (details.path === '/v1/metrics' || details.path === '/v1/logs') {
    return arrival(
      'wrong-path',
      'otlp-http',
      ports,
      details,
      `${what}; the trace-guide receiver takes traces only.`,
      'Turn the other signals off while verifying tracing (OTEL_METRICS_EXPORTER=none, OTEL_LOGS_EXPORTER=none), or' +
        ' send them to a collector.',
    );
  }
  return arrival(
    'wrong-path',
    'otlp-http',
    ports,
    details,
    `${what}; traces are received at /v1/traces.`,
    `Set OTEL_EXPORTER_OTLP_ENDPOINT=${base} (the SDK appends /v1/traces), or give the exporter the full URL` +
      ` ${base}/v1/traces.`,
  );
}
