/**
 * Text that came from outside (span and service names, attribute values, status messages, log lines, file contents,
 * error messages quoting them) made safe to print to a terminal: every C0 control character (ESC included, so no escape
 * sequence can start), DEL, every C1 control character and the bidirectional overrides are replaced by a visible
 * escape such as `\x1b`, `\r` or `\u202e`. A newline (and a tab) is kept only where a multi-line value is intended.
 * The result is printable, and sanitising it again changes nothing.
 */

export interface SanitizeOptions {
  /** Keep \n, \t and CRLF as they are (a multi-line text); otherwise they are shown as `\n`, `\t`, `\r`. Default false. */
  multiline?: boolean;
}

// C0 controls, DEL, C1 controls, the bidi embeddings / overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
const UNSAFE_ANY = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Multi-line: \n and \t stay, and so does a \r right before \n (CRLF line ends, harmless); a lone \r could overwrite.
const UNSAFE_KEEPING_LINES =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function sanitizeTerminalText(text: string, options: SanitizeOptions = {}): string {
  const unsafe = options.multiline ? UNSAFE_KEEPING_LINES : UNSAFE_ANY;
  unsafe.lastIndex = 0;
  return unsafe.test(text) ? text.replace(unsafe, visible) : text;
}

/** One line of outside text: newlines and tabs are shown as escapes too. */
export function safeLine(text: string): string {
  return sanitizeTerminalText(text);
}

/** A JSON text whose C1 controls and DEL are written as \u escapes (JSON.stringify escapes only C0): the same value. */
export function terminalSafeJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
