/** A local stand-in for the streaming Messages API: POST /v1/messages with stream: true answers server-sent events. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamScript {
  /** The text, in the pieces the server sends as text_delta events. */
  chunks?: string[];
  /** An HTTP error instead of a stream. */
  status?: number;
  error?: { type: string; message: string };
  usage?: {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens?: number;
    cache_creation_input_tokens?: number;
  };
}

export interface FakeStreamServer {
  baseURL: string;
  requests: any[];
  close(): Promise<void>;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export async function startStreamServer(script: StreamScript[]): Promise<FakeStreamServer> {
  const requests: any[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push(body);
      const step = script[next++] ?? { status: 500, error: { type: 'api_error', message: 'script exhausted' } };
      if (step.status && step.status !== 200) {
        res.writeHead(step.status, { 'content-type': 'application/json', 'x-should-retry': 'false' });
        res.end(JSON.stringify({ type: 'error', error: step.error ?? { type: 'api_error', message: 'error' } }));
        return;
      }
      const usage = {
        input_tokens: 1200,
        output_tokens: 0,
        cache_read_input_tokens: 800,
        cache_creation_input_tokens: 0,
        ...step.usage,
      };
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(
        sse('message_start', {
          type: 'message_start',
          message: {
            id: `msg_stream_${next}`,
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: 1 },
          },
        }),
      );
      res.write(
        sse('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }),
      );
      for (const text of step.chunks ?? []) {
        res.write(
          sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
        );
      }
      res.write(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
      res.write(
        sse('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: step.usage?.output_tokens ?? 42 },
        }),
      );
      res.write(sse('message_stop', { type: 'message_stop' }));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
