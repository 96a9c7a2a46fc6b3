import { z } from 'zod';
import { StepIdSchema } from '../skill/schema.js';

/** One exact replacement inside an existing file: `old` must occur exactly once. */
export const EditPairSchema = z.object({ old: z.string().min(1), new: z.string() });

export const ProposalChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('edit'), path: z.string().min(1), edits: z.array(EditPairSchema).min(1) }),
  z.object({ kind: z.literal('create'), path: z.string().min(1), content: z.string() }),
  z.object({ kind: z.literal('command'), command: z.string().min(1), cwd: z.string().default('.') }),
  z.object({ kind: z.literal('note'), text: z.string().min(1) }),
]);
export type ProposalChange = z.infer<typeof ProposalChangeSchema>;

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
});
export type Proposal = z.infer<typeof ProposalSchema>;
