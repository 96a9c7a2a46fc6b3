/**
 * The proposing tools: propose_edit, propose_new_file, propose_command, keep_recipe_proposals. Each checks the change
 * the way apply will (path inside the repo through symlinks, old text exactly once in the redacted view the model read,
 * allowed command) and either turns it into a Proposal (source 'model') or answers with the reason, never both.
 */
import { existsSync } from 'node:fs';
import { resolveInRepo } from '../../../edit/safe-path.js';
import { applyTextEdits } from '../../../edit/text-edit.js';
import { describeError } from '../../../core/errors.js';
import type { StepId } from '../../../skill/schema.js';
import { ProposalSchema, type Proposal, type ProposalChange } from '../../../types/proposal.js';
import { checkCommand } from '../../../safety/command-policy.js';
import { assessProposal } from '../../../safety/proposal-policy.js';
import { REDACTED, isSecretPath, type Sandbox } from '../sandbox.js';
import { RedactedDoc } from '../redacted-doc.js';
import type { ToolInput } from './schemas.js';
import type { ToolOutcome } from './index.js';

/** What the model has proposed so far in this step, and the files as they would be after those proposals. */
export class ProposalState {
  readonly proposals: Proposal[] = [];
  /** Repo path → content after the accepted proposals, raw with its redacted view (null: deleted). */
  private readonly files = new Map<string, RedactedDoc | null>();
  private counter = 0;

  constructor(
    readonly step: StepId,
    readonly sandbox: Sandbox,
    readonly baseline: readonly Proposal[],
    private readonly onProposal?: (p: Proposal) => void,
  ) {}

  private nextId(): string {
    this.counter++;
    return `model-${this.step}-${this.counter}`;
  }

  private knownIds(): Set<string> {
    return new Set(this.proposals.map((p) => p.id));
  }

  private checkAfter(after: string[] | undefined): string | undefined {
    const known = this.knownIds();
    const missing = (after ?? []).filter((id) => !known.has(id));
    return missing.length > 0
      ? `unknown proposal id(s) in "after": ${missing.join(', ')} (propose or keep them first)`
      : undefined;
  }

  /** Content of `rel` as it would be after the accepted proposals, else from disk: raw (never sent) and as the model sees it. */
  private async current(rel: string): Promise<{ ok: true; doc: RedactedDoc } | { ok: false; message: string }> {
    if (this.files.has(rel)) {
      const doc = this.files.get(rel);
      return doc === null || doc === undefined
        ? { ok: false, message: `"${rel}" is deleted by an earlier proposal` }
        : { ok: true, doc };
    }
    const raw = await this.sandbox.readRaw(rel);
    return raw.ok ? { ok: true, doc: RedactedDoc.of(raw.text) } : raw;
  }

  private accept(
    head: { title: string; why: string; service?: string | undefined; after?: string[] | undefined },
    change: ProposalChange,
    id = this.nextId(),
  ): Proposal {
    const proposal = ProposalSchema.parse({
      id,
      step: this.step,
      ...(head.service ? { service: head.service } : {}),
      title: head.title,
      why: head.why,
      change,
      source: 'model',
      after: head.after ?? [],
    });
    this.proposals.push(proposal);
    this.onProposal?.(proposal);
    return proposal;
  }

  private async safePath(rel: string): Promise<string | ToolOutcome> {
    try {
      await resolveInRepo(this.sandbox.root, rel);
    } catch (e) {
      return { ok: false, content: `rejected: ${describeError(e)}` };
    }
    const normal = this.sandbox.normalise(rel);
    if (normal === undefined) return { ok: false, content: `rejected: "${rel}" is outside the repo` };
    if (isSecretPath(normal))
      return { ok: false, content: `rejected: "${normal}" is a secrets file, which trace-guide never writes` };
    // The same safety policy apply uses (a package manager's config file, .git/, .trace-guide/): told now, not at apply.
    const verdict = assessProposal({ kind: 'delete', path: normal }, 'model');
    if (verdict.decision === 'reject') return { ok: false, content: `rejected: ${verdict.reason}` };
    return normal;
  }

  async edit(input: ToolInput<'propose_edit'>): Promise<ToolOutcome> {
    const rel = await this.safePath(input.path);
    if (typeof rel !== 'string') return rel;
    const afterProblem = this.checkAfter(input.after);
    if (afterProblem) return { ok: false, content: `rejected: ${afterProblem}` };
    const base = await this.current(rel);
    if (!base.ok) return { ok: false, content: `rejected: ${base.message}` };
    // Matched against the redacted view the model read, never against the raw file (no oracle for a secret).
    const result = base.doc.applyEdits(input.edits);
    if (!result.ok)
      return {
        ok: false,
        content: `rejected: edit ${result.pair + 1}: ${result.message}; read the file again and copy the old text exactly`,
      };
    this.files.set(rel, result.doc);
    const p = this.accept(input, { kind: 'edit', path: rel, edits: result.rawEdits });
    return { ok: true, content: `accepted as ${p.id}` };
  }

  async create(input: ToolInput<'propose_new_file'>): Promise<ToolOutcome> {
    const rel = await this.safePath(input.path);
    if (typeof rel !== 'string') return rel;
    const afterProblem = this.checkAfter(input.after);
    if (afterProblem) return { ok: false, content: `rejected: ${afterProblem}` };
    if (input.content.includes(REDACTED))
      return { ok: false, content: `rejected: the file contains ${REDACTED}; leave secret values out` };
    const existing = this.files.has(rel) ? this.files.get(rel) !== null : existsSync(`${this.sandbox.root}/${rel}`);
    if (existing) return { ok: false, content: `rejected: "${rel}" already exists; use propose_edit to change it` };
    this.files.set(rel, RedactedDoc.of(input.content));
    const p = this.accept(input, { kind: 'create', path: rel, content: input.content });
    return { ok: true, content: `accepted as ${p.id}` };
  }

  async command(input: ToolInput<'propose_command'>): Promise<ToolOutcome> {
    const verdict = checkCommand(input.command);
    if (!verdict.ok) return { ok: false, content: `rejected: ${verdict.reason}` };
    const cwd = input.cwd && input.cwd !== '.' && input.cwd !== './' ? await this.safePath(input.cwd) : '.';
    if (typeof cwd !== 'string') return cwd;
    const touches: string[] = [];
    for (const t of input.touches ?? []) {
      const rel = await this.safePath(t);
      if (typeof rel !== 'string') return rel;
      touches.push(rel);
    }
    const afterProblem = this.checkAfter(input.after);
    if (afterProblem) return { ok: false, content: `rejected: ${afterProblem}` };
    const p = this.accept(input, { kind: 'command', command: input.command.trim(), cwd, touches });
    return { ok: true, content: `accepted as ${p.id}` };
  }

  async keep(input: ToolInput<'keep_recipe_proposals'>): Promise<ToolOutcome> {
    const byId = new Map(this.baseline.map((p) => [p.id, p]));
    const unknown = input.ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) return { ok: false, content: `unknown recipe proposal id(s): ${unknown.join(', ')}` };
    const kept: string[] = [];
    for (const id of input.ids) {
      if (this.knownIds().has(id)) continue;
      const p = byId.get(id)!;
      const change = p.change;
      if (change.kind === 'edit') {
        const base = await this.current(change.path);
        if (base.ok) {
          const r = applyTextEdits(base.doc.raw, change.edits);
          if (r.ok) this.files.set(change.path, RedactedDoc.of(r.content));
        }
      } else if (change.kind === 'create') this.files.set(change.path, RedactedDoc.of(change.content));
      else if (change.kind === 'delete') this.files.set(change.path, null);
      const known = this.knownIds();
      this.accept({ ...p, after: p.after.filter((a) => known.has(a)) }, change, p.id);
      kept.push(id);
    }
    return { ok: true, content: kept.length > 0 ? `kept: ${kept.join(', ')}` : 'already kept' };
  }
}
