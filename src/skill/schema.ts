import { z } from 'zod';

/** Stable ids: lower-case words joined by hyphens. They are stored in sessions, so they never change once shipped. */
export const StableIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
    'expected a stable id: lower-case letters and digits joined by single hyphens',
  );

/**
 * A condition on earlier answers: input id -> values that make it apply (any one is enough; for a multi-choice answer,
 * any selected value is enough). All keys must hold. The loader checks that keys name choice inputs and values their choices.
 */
export const WhenSchema = z.record(z.string(), z.array(z.string()).min(1));
export type When = z.infer<typeof WhenSchema>;

export const StepIdSchema = z.enum([
  'backend',
  'auto-instrumentation',
  'manual-spans',
  'propagation',
  'sampling',
  'correlation',
]);
export type StepId = z.infer<typeof StepIdSchema>;

export const InputChoiceSchema = z.strictObject({
  value: StableIdSchema,
  label: z.string().min(1),
  description: z.string().optional(),
});

/** A question a step asks before it plans. */
export const InputSchema = z
  .strictObject({
    id: StableIdSchema,
    prompt: z.string().min(1),
    kind: z.enum(['choice', 'multi-choice', 'text', 'number', 'services']),
    choices: z.array(InputChoiceSchema).optional(),
    default: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
    required: z.boolean().default(true),
    min: z.number().optional(),
    max: z.number().optional(),
    help: z.string().optional(),
    /** Only asked when earlier answers match (e.g. the vendor endpoint only for the otlp-vendor backend). */
    when: WhenSchema.optional(),
    /**
     * Defaults that depend on earlier answers: the first whose `when` holds is the default instead of `default` (e.g. no
     * tail sampling with the built-in receiver, where no Collector exists to tail-sample).
     */
    defaults: z
      .array(z.strictObject({ when: WhenSchema, value: z.union([z.string(), z.number(), z.array(z.string())]) }))
      .optional(),
    /**
     * Text inputs only: the answer is structured text, checked when it is given (src/workflow/text-formats.ts):
     * `probes` (requests for the runtime checks), `setup-commands` (commands run once before a service starts).
     */
    format: z.enum(['probes', 'setup-commands']).optional(),
  })
  .superRefine((input, ctx) => {
    const needsChoices = input.kind === 'choice' || input.kind === 'multi-choice';
    if (needsChoices && (!input.choices || input.choices.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: `expected a non-empty list of choices for a ${input.kind} input`,
      });
    }
    if (!needsChoices && input.choices) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: `expected no choices: they only belong to choice inputs, not ${input.kind}`,
      });
    }
    if (input.format !== undefined && input.kind !== 'text') {
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: `expected kind text for an input with a format, got ${input.kind}`,
      });
    }
    if ((input.min !== undefined || input.max !== undefined) && input.kind !== 'number') {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `expected kind number for an input with min/max, got ${input.kind}`,
      });
    }
    if (input.min !== undefined && input.max !== undefined && input.min > input.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max >= min (${input.min})` });
    }
    for (const [k, alternative] of (input.defaults ?? []).entries()) {
      const values = (input.choices ?? []).map((c) => c.value);
      const given = Array.isArray(alternative.value) ? alternative.value : [alternative.value];
      const bad = given.filter((v) => !values.includes(String(v)));
      if (values.length > 0 && bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['defaults', k, 'value'],
          message: `expected one of the choices: ${values.join(', ')}`,
        });
      }
    }
    const d = input.default;
    if (d === undefined) return;
    const values = (input.choices ?? []).map((c) => c.value);
    if (input.kind === 'choice') {
      if (typeof d !== 'string' || (values.length > 0 && !values.includes(d))) {
        ctx.addIssue({
          code: 'custom',
          path: ['default'],
          message: `expected one of the choices: ${values.join(', ')}`,
        });
      }
    } else if (input.kind === 'multi-choice') {
      const bad = Array.isArray(d) ? d.filter((v) => !values.includes(v)) : [String(d)];
      if (bad.length > 0 && values.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['default'],
          message: `expected a list of choices (${values.join(', ')}), got ${bad.join(', ')}`,
        });
      }
    } else if (input.kind === 'number') {
      if (typeof d !== 'number') {
        ctx.addIssue({ code: 'custom', path: ['default'], message: 'expected a number' });
      } else if ((input.min !== undefined && d < input.min) || (input.max !== undefined && d > input.max)) {
        ctx.addIssue({
          code: 'custom',
          path: ['default'],
          message: `expected a number between ${input.min ?? '-inf'} and ${input.max ?? 'inf'}`,
        });
      }
    } else if (typeof d !== 'string') {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `expected a string default for a ${input.kind} input`,
      });
    }
  });
export type Input = z.infer<typeof InputSchema>;

/** One item of the verification checklist. The check that proves it is looked up by this id. */
export const ChecklistItemSchema = z.strictObject({
  id: StableIdSchema,
  title: z.string().min(1),
  /** Why the item matters / what it proves, in one or two sentences. */
  description: z.string().min(1),
  /** Where the item comes from: the source skill's verification list, its pitfalls, or a step's expected outcome. */
  origin: z.enum(['verification', 'pitfall', 'expected-outcome']),
  /** How it is proven: by reading files, by running the service against the built-in receiver, or by asking the backend. */
  method: z.enum(['static', 'runtime', 'backend']),
  /** A required item must pass (or be explicitly skipped) for its step to be done; others only warn. */
  required: z.boolean(),
  /** Only applies when an input has one of these values (e.g. error-aware sampling chosen). */
  when: WhenSchema.optional(),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

export const StepSchema = z.strictObject({
  id: StepIdSchema,
  title: z.string().min(1),
  goal: z.string().min(1),
  /** Reference page, relative to the skill folder (Markdown). */
  reference: z.string().regex(/\.md$/, 'expected a Markdown file path ending in .md'),
  inputs: z.array(InputSchema),
  /** Ids of checklist items this step must pass. */
  checklist: z.array(StableIdSchema).min(1),
});
export type Step = z.infer<typeof StepSchema>;

export const SkillFileSchema = z.strictObject({
  id: StableIdSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  version: z.string().min(1),
  steps: z.array(StepSchema).length(6),
  checklist: z.array(ChecklistItemSchema).min(1),
});
export type SkillFile = z.infer<typeof SkillFileSchema>;

/** A loaded skill: the validated file plus the reference pages read from disk. */
export interface Skill extends SkillFile {
  /** Absolute path of the skill folder. */
  dir: string;
  /** Reference page text by step id. */
  pages: Record<StepId, string>;
}
