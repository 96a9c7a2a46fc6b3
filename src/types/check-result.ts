import { z } from 'zod';
import { EvidenceSchema } from './scan.js';

/**
 * `nothing-to-check`: the check ran and found nothing of what it checks (no manual spans, no error paths, no
 * attributes): neither a pass nor a fail. Like `skipped`, it never proves a required item.
 */
export const CheckStatusSchema = z.enum(['pass', 'fail', 'warn', 'skipped', 'nothing-to-check']);
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

/** How each status reads in text: nothing-to-check has its own mark (grey in the guide), never the pass tick. */
export const STATUS_MARK: Record<CheckStatus, string> = {
  pass: '✓',
  fail: '✗',
  warn: '!',
  skipped: '-',
  'nothing-to-check': '○',
};

/** The one status that proves a checklist item. */
export function proves(status: CheckStatus): boolean {
  return status === 'pass';
}

/** The outcome of proving one checklist item. A check that could not run says why and is not a pass. */
export const CheckResultSchema = z.object({
  itemId: z.string().min(1),
  status: CheckStatusSchema,
  summary: z.string(),
  evidence: z.array(z.union([EvidenceSchema, z.object({ note: z.string() })])).default([]),
  fix: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;
