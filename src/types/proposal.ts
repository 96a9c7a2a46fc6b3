import { z } from 'zod';
import { StepIdSchema } from '../skill/schema.js';

/** One exact replacement inside an existing file: `old` must occur exactly once. */
export const EditPairSchema = z.object({ old: z.string().min(1), new: z.string() });
export type EditPair = z.infer<typeof EditPairSchema>;

/** A repo-relative POSIX path; whether it stays inside the repo is checked again when applying. */
const RepoPathSchema = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'expected a path relative to the repo root');

export const ProposalChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('edit'), path: RepoPathSchema, edits: z.array(EditPairSchema).min(1) }),
  z.object({ kind: z.literal('create'), path: RepoPathSchema, content: z.string() }),
  /** Removes a file a proposal replaces (e.g. an old tracer set-up); undo restores it. */
  z.object({ kind: z.literal('delete'), path: RepoPathSchema }),
  z.object({
    kind: z.literal('command'),
    command: z.string().min(1),
    cwd: RepoPathSchema.default('.'),
    /** Repo files the command may rewrite (lockfiles, go.mod, go.sum): backed up before it runs, so undo restores them. */
    touches: z.array(RepoPathSchema).default([]),
  }),
  /**
   * Something trace-guide cannot change safely: the user must. Never shown as done; a `required` note stands in for a
   * change the step needs (the SDK start in an app factory, a package install): the step is not proven until the user
   * marks it done (`apply --step N --only <id> --done`).
   */
  z.object({ kind: z.literal('note'), text: z.string().min(1), required: z.boolean().optional() }),
]);
export type ProposalChange = z.infer<typeof ProposalChangeSchema>;
export type ChangeKind = ProposalChange['kind'];

/** One reviewable change, produced by a recipe or by the model planner, applied only when the user accepts it. */
export const ProposalSchema = z.object({
  id: z.string().min(1),
  step: StepIdSchema,
  /** Id of the scanned service it is for, when it is for one. */
  service: z.string().optional(),
  title: z.string().min(1),
  /** One line: why this change. */
  why: z.string().min(1),
  change: ProposalChangeSchema,
  source: z.enum(['recipe', 'model']),
  /** Ids of proposals that must be applied first (e.g. the dependency before the install command). */
  after: z.array(z.string()).default([]),
});
export type Proposal = z.infer<typeof ProposalSchema>;
export type ProposalInput = z.input<typeof ProposalSchema>;
