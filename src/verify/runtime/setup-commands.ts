/**
 * Set-up commands: what an app needs once before it can start (`flask --app notebook init-db`, `python manage.py
 * migrate`), stated by the user in the `setup-commands` input (kept in the session) and run by the runtime run before it
 * starts the service, once per run.
 *
 * The input is YAML: a command (when one service is chosen), or a mapping service → command or list of commands:
 *   --set setup-commands='flask --app notebook init-db'
 *   --set setup-commands='{api: python manage.py migrate, web: [npm run db:migrate]}'
 * Each command is run the way trace-guide runs every command: split into argv by the safety policy's word rules (no
 * shell, no metacharacters, `&&` between two commands at most) and run by the argv runner, in the service folder with
 * the service's environment. Leading `NAME=value` words set variables for that command.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { runCommandChain } from '../../edit/run-command.js';
import type { Service } from '../../types/scan.js';
import { splitCommand } from '../../safety/command-words.js';

const CommandListSchema = z.union([
  z
    .string()
    .min(1)
    .transform((c) => [c]),
  z.array(z.string().min(1)).min(1),
]);
const SetupInputSchema = z.union([
  z
    .string()
    .min(1)
    .transform((c) => ({ '': [c] }) as Record<string, string[]>),
  z.array(z.string().min(1)).transform((list) => ({ '': list }) as Record<string, string[]>),
  z.record(z.string().min(1), CommandListSchema),
]);

export interface SetupCommand {
  /** The command as the user wrote it, for messages. */
  text: string;
  /** argv of each command of the && chain, variable assignments removed. */
  chain: string[][];
  env: Record<string, string>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Splits one command into argv and leading NAME=value assignments; throws an input error naming the command. */
export function parseSetupCommand(text: string): SetupCommand {
  const split = splitCommand(text.trim());
  if (!split.ok)
    throw inputError(
      `set-up command "${text}": ${split.reason}`,
      "Write the command as plain words (quote a word with '…'); join two commands with && at most.",
    );
  const env: Record<string, string> = {};
  const chain = split.chain.map((argv) => {
    let i = 0;
    for (; i < argv.length - 1; i++) {
      const m = ASSIGNMENT.exec(argv[i]!);
      if (!m) break;
      env[m[1]!] = m[2]!;
    }
    return argv.slice(i);
  });
  if (chain.some((argv) => argv.length === 0 || ASSIGNMENT.test(argv[0]!))) {
    throw inputError(
      `set-up command "${text}" sets variables but runs nothing`,
      'Give the command after the NAME=value words.',
    );
  }
  return { text: text.trim(), chain, env };
}

/**
 * The set-up commands of each chosen service, by service id. A command without a service name belongs to the only
 * chosen service; with several it must name one. Throws an input error for malformed text or an unknown service.
 */
export function setupCommandsByService(input: unknown, services: readonly Service[]): Map<string, SetupCommand[]> {
  const out = new Map<string, SetupCommand[]>();
  for (const [name, commands] of Object.entries(parseSetupInput(input))) {
    let service: Service | undefined;
    if (name === '') {
      if (services.length !== 1) {
        throw inputError(
          `the setup-commands input names no service, and ${services.length} services are chosen`,
          `Name the service: {${services[0]?.id ?? 'service'}: <command>} (services: ${services.map((s) => s.id).join(', ')}).`,
        );
      }
      service = services[0];
    } else {
      service = services.find((s) => s.id === name || s.name === name);
      if (!service)
        throw inputError(
          `the setup-commands input names "${name}", which is not a chosen service`,
          `Chosen services: ${services.map((s) => s.id).join(', ')}.`,
        );
    }
    out.set(service!.id, [...(out.get(service!.id) ?? []), ...commands]);
  }
  return out;
}

/** The input's commands by the service name written ('' when none is), each split into argv; throws for malformed text. */
export function parseSetupInput(input: unknown): Record<string, SetupCommand[]> {
  if (input === undefined || (typeof input === 'string' && input.trim() === '')) return {};
  let data: unknown;
  try {
    data = typeof input === 'string' ? parseYaml(input) : input;
  } catch (error) {
    throw inputError(
      `the setup-commands input is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      'Give one command, or a mapping like {api: python manage.py migrate}.',
    );
  }
  const parsed = SetupInputSchema.safeParse(data);
  if (!parsed.success)
    throw inputError(
      `the setup-commands input: ${parsed.error.issues[0]!.message}`,
      'Give one command, a list of commands, or a mapping service → command(s).',
    );
  return Object.fromEntries(
    Object.entries(parsed.data).map(([name, commands]) => [name, commands.map(parseSetupCommand)]),
  );
}

/** Runs a service's set-up commands in order; the first failure is returned as a reason the service cannot start. */
export async function runSetupCommands(
  commands: readonly SetupCommand[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 5 * 60_000,
): Promise<string | undefined> {
  for (const command of commands) {
    const run = await runCommandChain(command.chain, cwd, { env: { ...env, ...command.env }, timeoutMs });
    if (!run.ok) {
      const how = run.timedOut
        ? `did not finish within ${Math.round(timeoutMs / 1000)} s`
        : `failed (exit code ${run.code ?? 'none'})`;
      return `set-up command "${command.text}" ${how}${run.tail ? `: ${run.tail.split('\n').slice(-8).join('\n')}` : ''}`;
    }
  }
  return undefined;
}
