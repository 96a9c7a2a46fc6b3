import { z } from 'zod';
import { EvidenceSchema } from '../repo/scan-schema.js';

export const CheckStatusSchema = z.enum(['pass', 'fail', 'warn', 'skipped']);
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

/** The outcome of proving one checklist item. A check that could not run says why and is not a pass. */
export const CheckResultSchema = z.object({
  itemId: z.string().min(1),
  status: CheckStatusSchema,
  summary: z.string(),
  evidence: z.array(z.union([EvidenceSchema, z.object({ note: z.string() })])).default([]),
  fix: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;
