import { z } from 'zod';
import { StepIdSchema } from '../skill/schema.js';
import { ScanResultSchema } from '../types/scan.js';
import { ProposalSchema } from '../types/proposal.js';
import { CheckResultSchema } from '../types/check-result.js';

/** Bump when the stored shape changes in a way older readers cannot understand; add a migration in store.ts. */
export const SESSION_VERSION = 1;

export const PhaseSchema = z.enum(['plan', 'review', 'apply', 'verify', 'done']);
export type Phase = z.infer<typeof PhaseSchema>;
export const PHASES: readonly Phase[] = PhaseSchema.options;

export const DecisionSchema = z.enum(['accepted', 'rejected']);
export type Decision = z.infer<typeof DecisionSchema>;

export const InputValueSchema = z.union([z.string(), z.number(), z.array(z.string())]);
export type InputValue = z.infer<typeof InputValueSchema>;

/**
 * How applying one proposal ended: `applied` (the change is made), `advice` (a note that asks nothing of the user; nothing
 * was changed), `needs-edit` (a required note: trace-guide cannot make this
 * change, the user must — never shown as done), `failed`. Absent in sessions written before it was kept: read `ok`.
 */
export const ApplyStatusSchema = z.enum(['applied', 'needs-edit', 'advice', 'failed']);
export type ApplyStatus = z.infer<typeof ApplyStatusSchema>;

/** The outcome of applying one accepted proposal. */
export const ApplyResultSchema = z.object({
  proposalId: z.string(),
  ok: z.boolean(),
  status: ApplyStatusSchema.optional(),
  message: z.string().optional(),
});
export type ApplyResult = z.infer<typeof ApplyResultSchema>;

/** A file trace-guide wrote, with the hash of what it wrote, so later changes can be told apart (drift). */
export const FileWriteSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Backup of the previous content, relative to the repo root (absent when the file was new). */
  backup: z.string().optional(),
});
export type FileWrite = z.infer<typeof FileWriteSchema>;

export const WrittenFileSchema = FileWriteSchema.extend({
  step: StepIdSchema,
  proposalId: z.string().optional(),
  writtenAt: z.string(),
});
export type WrittenFile = z.infer<typeof WrittenFileSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One file change made by applying a proposal, in the order made. `before` is null when the file did not exist (undo
 * removes it); `after` is null when the proposal deleted it. Backups are content-addressed under .trace-guide/backups/;
 * `before.mode` keeps the file's permission bits (undo restores them; absent in sessions written before it was kept).
 */
export const AppliedWriteSchema = z.object({
  path: z.string().min(1),
  step: StepIdSchema,
  proposalId: z.string(),
  before: z
    .object({ sha256: Sha256Schema, backup: z.string(), mode: z.number().int().min(0).max(0o7777).optional() })
    .nullable(),
  after: z.object({ sha256: Sha256Schema }).nullable(),
  at: z.string(),
});
export type AppliedWrite = z.infer<typeof AppliedWriteSchema>;

/** A skip is kept forever, even when the step is later reopened and proven. */
export const SkipRecordSchema = z.object({
  at: z.string(),
  phase: PhaseSchema,
  reason: z.string().optional(),
  /** Required checklist items that were not proven when the user skipped. */
  unverified: z.array(z.string()),
});
export type SkipRecord = z.infer<typeof SkipRecordSchema>;

export const StepRecordSchema = z.object({
  id: StepIdSchema,
  phase: PhaseSchema,
  /** How the step was left: proven by its checks, or skipped by the user. Null while open. */
  outcome: z.enum(['verified', 'skipped']).nullable(),
  proposals: z.array(ProposalSchema),
  /** Fingerprints (src/safety/shown-digest.ts) of the proposals a person was shown: what `plan` printed, the guide displayed. */
  shown: z.array(z.string()).default([]),
  decisions: z.record(z.string(), DecisionSchema),
  applied: z.array(ApplyResultSchema),
  checks: z.array(CheckResultSchema),
  /** Checklist ids that had to pass at the last check run. */
  required: z.array(z.string()),
  /** How many times the checks ran. */
  checkRuns: z.number().int().nonnegative(),
  skips: z.array(SkipRecordSchema),
  /** Ids of note proposals the user marked as done by hand (`apply --step N --only <id> --done`, or `d` in the guide). */
  notesDone: z.array(z.string()).default([]),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const HistoryEntrySchema = z.object({
  at: z.string(),
  step: StepIdSchema,
  event: z.string(),
  detail: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const SessionSchema = z.object({
  version: z.literal(SESSION_VERSION),
  id: z.string().min(1),
  skill: z.object({ id: z.string(), version: z.string() }),
  repoRoot: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  inputs: z.record(z.string(), InputValueSchema),
  scan: ScanResultSchema,
  steps: z.array(StepRecordSchema).length(6),
  /** Index into steps of the step the user is on. */
  current: z.number().int().min(0).max(5),
  /** Files written by trace-guide, by repo-relative path. */
  files: z.record(z.string(), WrittenFileSchema),
  /** Every file change applied and not undone, oldest first: what `undo` walks back. */
  writes: z.array(AppliedWriteSchema).default([]),
  history: z.array(HistoryEntrySchema),
});
export type Session = z.infer<typeof SessionSchema>;
