import { parseArgs } from 'node:util';
import { usageError } from '../core/errors.js';

export const COMMANDS = ['guide', 'resume', 'scan', 'status', 'reset', 'demo'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  command: Command | 'help' | 'version';
  dir: string;
  json: boolean;
}

/** Turns argv into a command; unknown flags and extra arguments are usage errors. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message, 'run `trace-guide --help` for the commands and options');
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', dir: '.', json: false };
  if (values.version) return { command: 'version', dir: '.', json: false };

  const [first, ...rest] = positionals;
  let command: Command = 'guide';
  let operands = positionals;
  if (first !== undefined && (COMMANDS as readonly string[]).includes(first)) {
    command = first as Command;
    operands = rest;
  } else if (first === 'help') {
    return { command: 'help', dir: '.', json: false };
  }
  if (operands.length > 1) {
    throw usageError(`too many arguments: ${operands.join(' ')}`, 'give at most one directory');
  }
  if (command === 'demo' && operands.length > 0) {
    throw usageError('demo takes no directory: it copies the bundled demo to a temporary directory');
  }
  return { command, dir: operands[0] ?? '.', json: values.json ?? false };
}
