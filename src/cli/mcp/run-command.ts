import { parseCliArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { main } from '../main.js';
import { captureJson } from '../output.js';
import { describeError } from '../../core/errors.js';

/** What one JSON command answered: its exit code and the JSON object it printed (the very object `--json` prints). */
export type CommandAnswer =
  | { kind: 'result'; code: number; json: unknown }
  | { kind: 'error'; code: number; message: string };

/**
 * Runs one trace-guide command exactly as `trace-guide <argv> --json` does (the same parsing, session lock, command and
 * error report), in this process, and returns its JSON instead of printing it. A usage or internal error (exit 2 or 3)
 * is an error with the CLI's message and hint; exit 0 and 1 (checks failed, work not done) are results.
 */
export async function runJsonCommand(argv: readonly string[]): Promise<CommandAnswer> {
  // --json first: argv may end with `-- <dir> <question>`, after which nothing is an option.
  const full = ['--json', ...argv];
  try {
    // main() reports a bad command line on stderr only (it cannot know --json yet): parse first to keep the message.
    parseCliArgs(full);
  } catch (error) {
    return { kind: 'error', code: EXIT.usage, message: describeError(error) };
  }
  const printed: unknown[] = [];
  const code = await captureJson(
    (value) => printed.push(value),
    () => main(full),
  );
  const json = printed.at(-1);
  if (code === EXIT.usage || code === EXIT.internal) {
    return {
      kind: 'error',
      code,
      message: errorMessage(json) ?? `trace-guide ${argv[0]} failed with exit code ${code}`,
    };
  }
  if (printed.length !== 1) {
    return {
      kind: 'error',
      code: EXIT.internal,
      message: `trace-guide ${argv[0]} printed ${printed.length} JSON answers instead of one (exit code ${code})`,
    };
  }
  return { kind: 'result', code, json };
}

/** The message (and hint) of a `{ ok: false, error: { message, hint } }` answer. */
function errorMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('error' in json)) return undefined;
  const error = (json as { error?: { message?: unknown; hint?: unknown } }).error;
  if (typeof error?.message !== 'string') return undefined;
  return typeof error.hint === 'string' ? `${error.message}\n  hint: ${error.hint}` : error.message;
}
