/**
 * JSON goes to stdout only with --json; human text to stdout otherwise; progress and logs to stderr. What is printed
 * quotes outside text (span names, log lines, repo files), so no control character reaches the terminal raw.
 */
import { sanitizeTerminalText, terminalSafeJson } from '../core/sanitize-terminal.js';

export function writeJson(value: unknown): void {
  process.stdout.write(`${terminalSafeJson(JSON.stringify(value, null, 2))}\n`);
}

export function writeText(text: string): void {
  const safe = sanitizeTerminalText(text, { multiline: true });
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function progress(text: string): void {
  process.stderr.write(`${sanitizeTerminalText(text, { multiline: true })}\n`);
}
