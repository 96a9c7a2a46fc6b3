import { z } from 'zod';

/**
 * The MCP tools: each is one JSON command of the CLI, described for an agent, with a zod input schema and the command
 * line it runs. Nothing here decides anything the CLI does not: the command answers.
 */
export interface ToolSpec<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: Shape;
  /** The command line (without --json) for this input; `dir` is already resolved. */
  argv: (input: z.infer<z.ZodObject<Shape>>, dir: string) => string[];
  /** True for tools that change files or the session (MCP annotation readOnlyHint false). */
  changes: boolean;
}

const dir = z
  .string()
  .min(1)
  .optional()
  .describe(
    'The repository folder (absolute, or relative to the folder the server was started for). Default: that folder.',
  );
const step = z.number().int().min(1).max(6);
const sets = z
  .array(z.string().regex(/^[^=\s]+=.*$/, 'expected id=value'))
  .optional()
  .describe('Answers to the step\'s inputs as "id=value" (the ids and choices are in plan\'s "inputs").');
const planner = {
  offline: z.boolean().optional().describe('Use the built-in recipes even when ANTHROPIC_API_KEY is set.'),
  model: z
    .string()
    .optional()
    .describe('Plan with Claude (needs ANTHROPIC_API_KEY); a model name, or "" for the default.'),
};
const ids = (what: string) =>
  z
    .array(z.string().regex(/^[^,\s]+$/, 'one id, no commas or spaces'))
    .min(1)
    .describe(what);

function plannerFlags(input: { offline?: boolean | undefined; model?: string | undefined }): string[] {
  return [...(input.offline ? ['--offline'] : []), ...(input.model !== undefined ? [`--model=${input.model}`] : [])];
}
const stepFlag = (n: number | undefined) => (n !== undefined ? ['--step', String(n)] : []);
const setFlags = (values: string[] | undefined) => (values ?? []).flatMap((v) => ['--set', v]);

function tool<Shape extends z.ZodRawShape>(spec: ToolSpec<Shape>): ToolSpec {
  return spec as unknown as ToolSpec;
}

export const TOOLS: readonly ToolSpec[] = [
  tool({
    name: 'scan',
    title: 'Scan the repository',
    description:
      'Lists the services found in the repository: language, framework, entrypoint, clients, existing tracing. Changes nothing.',
    input: { dir },
    argv: (i, d) => ['scan', '--', d],
    changes: false,
  }),
  tool({
    name: 'status',
    title: 'Session status',
    description:
      'Where the trace-guide session stands: the six steps, their phases, skips, files changed since written. Changes nothing.',
    input: { dir },
    argv: (i, d) => ['status', '--', d],
    changes: false,
  }),
  tool({
    name: 'plan',
    title: 'Plan a step',
    description:
      'Proposes the changes of step N (1-6) with a diff each, and records them as shown. Writes nothing in the repo. Show the proposals to the user and ask which to apply; pass those ids to apply.',
    input: { dir, step: step.describe('The step number, 1 to 6.'), set: sets, ...planner },
    argv: (i, d) => ['plan', ...stepFlag(i.step), ...setFlags(i.set), ...plannerFlags(i), '--', d],
    changes: true,
  }),
  tool({
    name: 'apply',
    title: 'Apply chosen proposals',
    description:
      'Applies exactly the proposals whose ids the user accepted (from plan); never all of them implicitly. dryRun shows the diffs and changes nothing. With done: true, marks required notes (ids) as done by hand and writes nothing. Undo restores the files.',
    input: {
      dir,
      step: step.describe('The step number, 1 to 6.'),
      ids: ids('The proposal ids the user accepted (from plan\'s "proposals"), at least one.'),
      dryRun: z.boolean().optional().describe('Show the diffs of these proposals; change nothing.'),
      done: z
        .boolean()
        .optional()
        .describe('The user made the change these notes asked for: mark them done; nothing is written.'),
      commit: z.boolean().optional().describe('Make one git commit of the applied changes.'),
      set: sets,
      ...planner,
    },
    argv: (i, d) => {
      const only = ['--only', i.ids.join(',')];
      if (i.done) return ['apply', ...stepFlag(i.step), ...only, '--done', '--', d];
      return [
        'apply',
        ...stepFlag(i.step),
        ...only,
        i.dryRun ? '--dry-run' : '--yes',
        ...(i.commit ? ['--commit'] : []),
        ...setFlags(i.set),
        ...plannerFlags(i),
        '--',
        d,
      ];
    },
    changes: true,
  }),
  tool({
    name: 'undo',
    title: 'Undo',
    description:
      'Restores the exact bytes of before for what trace-guide wrote (a step, or every step); files it created are removed.',
    input: {
      dir,
      step: step.optional().describe('Undo this step only (1 to 6). Default: every step.'),
      force: z
        .boolean()
        .optional()
        .describe("Restore even files changed since trace-guide wrote them (the user's version is kept aside)."),
    },
    argv: (i, d) => ['undo', ...stepFlag(i.step), ...(i.force ? ['--force'] : []), '--', d],
    changes: true,
  }),
  tool({
    name: 'check',
    title: 'Prove a step',
    description:
      'Proves step N (or every step) with its checks: static (code, configs), runtime (the services run against the built-in OTLP receiver), backend. A step whose required checks pass is done; ok is false while one does not pass. Runtime checks can take a minute.',
    input: { dir, step: step.optional().describe('The step to check (1 to 6). Default: every step.') },
    argv: (i, d) => ['check', ...stepFlag(i.step), '--', d],
    changes: true,
  }),
  tool({
    name: 'doctor',
    title: 'Diagnose missing or broken traces',
    description:
      'Runs the services against the built-in receiver and names why spans do not arrive or traces break, each cause with evidence and its fix as a diff. Applies fixes only when given their ids (fixIds) the user accepted.',
    input: {
      dir,
      fixIds: ids(
        'The fix ids (from a previous doctor answer) the user accepted; applied, undo restores them.',
      ).optional(),
      dryRun: z.boolean().optional().describe('With fixIds: show what would be applied; change nothing.'),
    },
    argv: (i, d) => [
      'doctor',
      ...(i.fixIds ? ['--yes', '--only', i.fixIds.join(','), ...(i.dryRun ? ['--dry-run'] : [])] : []),
      '--',
      d,
    ],
    changes: true,
  }),
  tool({
    name: 'score',
    title: 'Instrumentation Score',
    description:
      'Runs the services against the built-in receiver and scores what really arrived with the Instrumentation Score rules (0-100, a band), with evidence and fixes per failed rule. ok is false below min (or with no score). Changes no file.',
    input: {
      dir,
      min: z.number().min(0).max(100).optional().describe('The score below which ok is false (0 to 100).'),
    },
    argv: (i, d) => ['score', ...(i.min !== undefined ? ['--min', String(i.min)] : []), '--', d],
    changes: false,
  }),
  tool({
    name: 'ask',
    title: 'Ask about a step',
    description:
      "Answers a question about OpenTelemetry tracing: with ANTHROPIC_API_KEY, Claude answers from the step's reference page and the repo's scan; offline, the best passages of the reference pages.",
    input: {
      dir,
      question: z.string().trim().min(1).describe('The question.'),
      step: step.optional().describe('The step the question is about (1 to 6).'),
      ...planner,
    },
    argv: (i, d) => ['ask', ...stepFlag(i.step), ...plannerFlags(i), '--', d, i.question],
    changes: false,
  }),
];
