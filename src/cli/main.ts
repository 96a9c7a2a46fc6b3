import { EXIT } from './exit-codes.js';
import { parseCliArgs, type ParsedArgs } from './args.js';
import { TraceGuideError, describeError } from '../core/errors.js';
import { sanitizeTerminalText } from '../core/sanitize-terminal.js';
import { writeJson } from './output.js';
import type { SessionLock } from '../session/lock.js';

/** The commands that change the session, the journal or the repo's files: they run holding the session lock. */
function changesSession(args: ParsedArgs): boolean {
  switch (args.command as string) {
    case 'apply':
    case 'undo':
    case 'check':
    case 'plan':
    case 'reset':
    case 'guide':
    case 'resume':
    case 'skip':
      return true;
    case 'doctor':
      return args.yes === true && args.dryRun !== true;
    case 'score':
      return args.yes === true;
    default:
      return false;
  }
}

/** Takes the session lock for a command that changes the session (reset in a repo with no state folder needs none). */
async function lockFor(args: ParsedArgs): Promise<SessionLock | undefined> {
  if (!changesSession(args)) return undefined;
  // The guide refuses at once (changing nothing) without a terminal or with --json: no lock, no state folder for that.
  if (
    (args.command === 'guide' || args.command === 'resume') &&
    (args.json || !process.stdin.isTTY || !process.stdout.isTTY)
  )
    return undefined;
  const { resolveRepoRoot } = await import('../repo/resolve-root.js');
  const root = await resolveRepoRoot(args.dir);
  if (args.command === 'reset') {
    const { existsSync } = await import('node:fs');
    const { stateDir } = await import('../session/store.js');
    if (!existsSync(stateDir(root))) return undefined;
  }
  const { acquireSessionLock } = await import('../session/lock.js');
  return acquireSessionLock(root, args.command, (note) => process.stderr.write(`trace-guide: note: ${note}\n`));
}

/**
 * Entry point: parse the arguments and hand over to one command. Commands are imported lazily so that
 * `--help` and the JSON commands never load React or Ink.
 */
export async function main(argv: string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    return reportError(error, false);
  }
  let lock: SessionLock | undefined;
  try {
    lock = await lockFor(args);
    switch (args.command) {
      case 'help': {
        const { HELP } = await import('./help.js');
        process.stdout.write(HELP);
        return EXIT.ok;
      }
      case 'version': {
        const { readVersion } = await import('./version.js');
        process.stdout.write(`${await readVersion()}\n`);
        return EXIT.ok;
      }
      case 'scan':
        return await (await import('./commands/scan.js')).runScan(args);
      case 'status':
        return await (await import('./commands/status.js')).runStatus(args);
      case 'reset':
        return await (await import('./commands/reset.js')).runReset(args);
      case 'guide':
      case 'resume':
        return await (await import('./commands/guide.js')).runGuide(args);
      case 'demo':
        return await (await import('./commands/demo.js')).runDemo(args);
      case 'plan':
        return await (await import('./commands/plan.js')).runPlan(args);
      case 'apply':
        return await (await import('./commands/apply.js')).runApply(args);
      case 'undo':
        return await (await import('./commands/undo.js')).runUndo(args);
      case 'skip':
        return await (await import('./commands/skip.js')).runSkip(args);
      case 'receive':
        return await (await import('./commands/receive.js')).runReceive(args);
      case 'ask':
        return await (await import('./commands/ask.js')).runAsk(args);
      case 'doctor':
        return await (await import('./commands/doctor.js')).runDoctor(args);
      case 'check':
        return await (await import('./commands/check.js')).runCheck(args);
      case 'score':
        return await (await import('./commands/score.js')).runScore(args);
      case 'mcp':
        return await (await import('./commands/mcp.js')).runMcp(args);
      case 'diff':
        return await (await import('./commands/diff.js')).runDiff(args);
      default: {
        const unknown: never = args.command;
        throw new Error(`no command ${String(unknown)}`);
      }
    }
  } catch (error) {
    return reportError(error, args.json);
  } finally {
    lock?.release();
  }
}

/** Errors become one clear message on stderr (and a JSON object on stdout with --json) and an exit code. */
export function reportError(error: unknown, json: boolean): number {
  const code =
    error instanceof TraceGuideError ? (error.kind === 'internal' ? EXIT.internal : EXIT.usage) : EXIT.internal;
  const message = describeError(error);
  if (json) {
    const payload = {
      ok: false,
      error: {
        kind: error instanceof TraceGuideError ? error.kind : 'internal',
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof TraceGuideError && error.hint ? { hint: error.hint } : {}),
      },
    };
    writeJson(payload);
  }
  const prefix = code === EXIT.internal ? 'trace-guide: internal error: ' : 'trace-guide: ';
  process.stderr.write(`${prefix}${sanitizeTerminalText(message, { multiline: true })}\n`);
  if (code === EXIT.internal && error instanceof Error && error.stack && process.env.TRACE_GUIDE_DEBUG) {
    process.stderr.write(`${error.stack}\n`);
  }
  return code;
}
