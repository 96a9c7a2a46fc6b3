import { EXIT } from './exit-codes.js';
import { parseCliArgs, type ParsedArgs } from './args.js';
import { TraceGuideError, describeError } from '../core/errors.js';

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
  try {
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
    }
  } catch (error) {
    return reportError(error, args.json);
  }
}

/** Errors become one clear message on stderr (and a JSON object on stdout with --json) and an exit code. */
export function reportError(error: unknown, json: boolean): number {
  const code = error instanceof TraceGuideError ? (error.kind === 'internal' ? EXIT.internal : EXIT.usage) : EXIT.internal;
  const message = describeError(error);
  if (json) {
    const payload = {
      ok: false,
      error: { kind: error instanceof TraceGuideError ? error.kind : 'internal', message: error instanceof Error ? error.message : String(error), ...(error instanceof TraceGuideError && error.hint ? { hint: error.hint } : {}) },
    };
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  }
  const prefix = code === EXIT.internal ? 'trace-guide: internal error: ' : 'trace-guide: ';
  process.stderr.write(`${prefix}${message}\n`);
  if (code === EXIT.internal && error instanceof Error && error.stack && process.env.TRACE_GUIDE_DEBUG) {
    process.stderr.write(`${error.stack}\n`);
  }
  return code;
}
