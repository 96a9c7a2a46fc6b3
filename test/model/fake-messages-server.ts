/** A tiny local stand-in for the Messages API (POST /v1/messages) answering scripted replies and recording every request. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type Script = (ScriptedReply | ((request: any) => ScriptedReply))[];

let counter = 0;

/** A message reply with the given blocks; stop_reason tool_use when any block is a tool_use. */
export function reply(blocks: any[], usage = { input_tokens: 1000, output_tokens: 100 }): ScriptedReply {
  return {
    body: {
      id: `msg_${++counter}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: blocks,
      stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 500, ...usage },
    },
  };
}

export function toolUse(name: string, input: unknown, id = `toolu_${++counter}`): any {
  return { type: 'tool_use', id, name, input };
}

export function text(t: string): any {
  return { type: 'text', text: t };
}

export interface FakeServer {
  baseURL: string;
  /** Parsed JSON bodies of every request received, in order. */
  requests: any[];
  /** Raw bodies, to search for leaked text. */
  raw: string[];
  close(): Promise<void>;
}

export async function startFakeServer(script: Script): Promise<FakeServer> {
  const requests: any[] = [];
  const raw: string[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      raw.push(body);
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
        return;
      }
      const parsed = JSON.parse(body);
      requests.push(parsed);
      const step = script[next++];
      const scripted: ScriptedReply =
        step === undefined
          ? {
              status: 500,
              headers: { 'x-should-retry': 'false' },
              body: { type: 'error', error: { type: 'api_error', message: 'script exhausted' } },
            }
          : typeof step === 'function'
            ? step(parsed)
            : step;
      res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
      res.end(JSON.stringify(scripted.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    raw,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** The tool_result blocks of the last user message of a request. */
export function toolResults(request: any): any[] {
  const last = request.messages[request.messages.length - 1];
  return Array.isArray(last?.content) ? last.content.filter((b: any) => b.type === 'tool_result') : [];
}
