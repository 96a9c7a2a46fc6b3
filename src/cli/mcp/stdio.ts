import { Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/**
 * Serves `server` on stdin/stdout until stdin ends (the client went away). stdout carries the protocol only: anything
 * else the process would print there (a library's console.log, a child's output) goes to stderr instead.
 */
export async function serveOverStdio(server: McpServer): Promise<void> {
  const stdout = process.stdout;
  const protocolWrite = stdout.write.bind(stdout) as (
    chunk: string | Uint8Array,
    callback: (error?: Error | null) => void,
  ) => boolean;
  const protocol = new Writable({ write: (chunk: Buffer, _encoding, callback) => void protocolWrite(chunk, callback) });
  stdout.write = ((...args: Parameters<typeof process.stderr.write>) =>
    process.stderr.write(...args)) as typeof stdout.write;
  const ended = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport(process.stdin, protocol));
  await ended;
  await server.close();
  await new Promise<void>((resolve) => protocol.end(resolve));
}
