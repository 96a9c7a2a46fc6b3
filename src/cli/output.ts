/**
 * JSON goes to stdout only with --json; human text to stdout otherwise; progress and logs to stderr. What is printed
 * quotes outside text (span names, log lines, repo files), so no control character reaches the terminal raw.
 * Inside `captureJson` (the MCP server, whose stdout is the protocol) the JSON is handed to the caller instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sanitizeTerminalText, terminalSafeJson } from '../core/sanitize-terminal.js';

const jsonSink = new AsyncLocalStorage<(value: unknown) => void>();

/** Runs `run` with every `writeJson` inside it (and in what it awaits) given to `sink` rather than printed. */
export function captureJson<T>(sink: (value: unknown) => void, run: () => Promise<T>): Promise<T> {
  return jsonSink.run(sink, run);
}

export function writeJson(value: unknown): void {
  const sink = jsonSink.getStore();
  // The same plain data the CLI prints (undefined fields dropped, dates as strings).
  if (sink) sink(JSON.parse(JSON.stringify(value)));
  else process.stdout.write(`${terminalSafeJson(JSON.stringify(value, null, 2))}\n`);
}

export function writeText(text: string): void {
  const safe = sanitizeTerminalText(text, { multiline: true });
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function progress(text: string): void {
  process.stderr.write(`${sanitizeTerminalText(text, { multiline: true })}\n`);
}
