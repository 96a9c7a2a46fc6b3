import { access, constants, readFile, rm, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomic-write.js';
import { describeError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { Proposal } from '../types/proposal.js';
import { STEP_ORDER } from '../skill/load.js';
import type { AppliedWrite, ApplyResult } from '../session/schema.js';
import { storeBackup } from './backup.js';
import { writeJournal } from './journal.js';
import { runCommandChain } from './run-command.js';
import { repoPath, resolveInRepo } from './safe-path.js';
import { applyEditsToBytes, displayText } from './text-edit.js';
import { concurrentWaves } from './concurrent-waves.js';
import { orderProposals } from './order.js';
import { assessProposal, type ProposalOrigin } from '../safety/proposal-policy.js';
import { proposalDigest } from '../safety/shown-digest.js';

export interface ApplyOptions {
  /** Compute what would change and write nothing. */
  dryRun?: boolean;
  /** Run command proposals (default true); when false they are reported as not run. */
  runCommands?: boolean;
  /** Time limit per command. */
  commandTimeoutMs?: number;
  now?: () => Date;
  /** Progress for the UI and stderr: which proposal is being applied, command output as it comes. */
  onProgress?: (event: ApplyProgress) => void;
  /**
   * Where the proposals come from, for the safety policy (src/safety/proposal-policy.ts): 'session' for proposals read
   * back from a stored session, 'doctor' for the doctor's fixes; default: each proposal's own source (recipe / model),
   * which is right only for proposals planned in this run.
   */
  origin?: ProposalOrigin;
  /** Fingerprints (src/safety/shown-digest.ts) of the proposals a person was shown: an 'ask' proposal applies only when its fingerprint is here. */
  shown?: readonly string[];
}

export type ApplyProgress =
  | { type: 'start'; proposal: Proposal }
  | { type: 'output'; proposal: Proposal; text: string }
  | { type: 'done'; proposal: Proposal; result: ApplyResult };

/** A file change that applying would make (dry run) or made: the content before and after (null = no file). */
export interface FileChange {
  proposalId: string;
  path: string;
  before: string | null;
  after: string | null;
}

export interface ApplyOutcome {
  results: ApplyResult[];
  /** The writes made, in order (empty in a dry run). */
  writes: AppliedWrite[];
  /** Every file change, also in a dry run, for showing diffs. */
  changes: FileChange[];
}

class ApplyRefused extends Error {}

async function readIfExists(abs: string): Promise<Buffer | null> {
  try {
    return await readFile(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new ApplyRefused('it is a folder, not a file');
    throw error;
  }
}

/**
 * Applies accepted proposals in order (a proposal waits for the ones it names in `after`). Every write is atomic
 * (temp file + rename), its pre-image is backed up under .trace-guide/backups/ and journalled before the file is
 * replaced, and no path outside the repo root is ever written. A proposal that cannot apply (old text not found, file
 * changed, read-only, command failed) is reported with a reason and changes nothing of its own.
 */
export async function applyProposals(
  root: string,
  proposals: Proposal[],
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const now = options.now ?? (() => new Date());
  const runCommands = options.runCommands ?? true;
  const results: ApplyResult[] = [];
  const writes: AppliedWrite[] = [];
  const changes: FileChange[] = [];
  const failed = new Set<string>();

  const write = async (proposal: Proposal, rel: string, abs: string, before: Buffer | null, after: Buffer | null) => {
    const path = repoPath(rel);
    changes.push({
      proposalId: proposal.id,
      path,
      before: before && displayText(before),
      after: after && displayText(after),
    });
    if (options.dryRun) return;
    if (before !== null) {
      // Judged by the mode bits as well as access(): root may write anything, but a file marked read-only is a wish.
      let writable = true;
      try {
        await access(abs, constants.W_OK);
        writable = ((await stat(abs)).mode & 0o222) !== 0;
      } catch {
        writable = false;
      }
      if (!writable) throw new ApplyRefused(`${path} is read-only; make it writable or apply this change by hand`);
    }
    const backup =
      before === null ? null : { ...(await storeBackup(root, before)), mode: (await stat(abs)).mode & 0o7777 };
    const record: AppliedWrite = {
      path,
      step: proposal.step,
      proposalId: proposal.id,
      before: backup,
      after: after === null ? null : { sha256: sha256(after) },
      at: now().toISOString(),
    };
    await writeJournal(root, [...writes, record]);
    if (after === null) {
      await rm(abs, { force: true });
    } else {
      // The replaced file's mode is kept by writeFileAtomic (an executable stays executable).
      await writeFileAtomic(abs, after);
    }
    writes.push(record);
  };

  let journalled: Promise<void> = Promise.resolve();
  const shown = new Set(options.shown ?? []);
  /** The safety policy's word on a proposal: the argv chain of an allowed command, or why it may not apply. */
  const admit = (proposal: Proposal): { chain?: string[][] } => {
    const verdict = assessProposal(proposal.change, options.origin ?? proposal.source);
    if (verdict.decision === 'reject') throw new ApplyRefused(`refused by the safety policy: ${verdict.reason}`);
    if (verdict.decision === 'ask' && !options.dryRun && !shown.has(proposalDigest(proposal))) {
      throw new ApplyRefused(
        `not applied: ${verdict.reason}, and this proposal was not shown (or changed since); plan the step again and review it`,
      );
    }
    return verdict.chain ? { chain: verdict.chain } : {};
  };

  const applyOne = async (proposal: Proposal): Promise<string | undefined> => {
    const change = proposal.change;
    const { chain } = admit(proposal);
    switch (change.kind) {
      case 'note':
        return undefined;
      case 'create': {
        const abs = await resolveInRepo(root, change.path);
        const before = await readIfExists(abs);
        if (before !== null) {
          if (before.equals(Buffer.from(change.content, 'utf8'))) return 'already there with this content';
          throw new ApplyRefused(`${change.path} already exists; re-plan the step to edit it instead`);
        }
        await write(proposal, change.path, abs, null, Buffer.from(change.content, 'utf8'));
        return undefined;
      }
      case 'edit': {
        const abs = await resolveInRepo(root, change.path);
        const before = await readIfExists(abs);
        if (before === null) throw new ApplyRefused(`${change.path} does not exist (any more); re-plan the step`);
        const edited = applyEditsToBytes(before, change.edits);
        if (!edited.ok) {
          throw new ApplyRefused(
            `${change.path}: ${edited.message}; the file changed since the plan was made, re-plan the step`,
          );
        }
        await write(proposal, change.path, abs, before, edited.content);
        return undefined;
      }
      case 'delete': {
        const abs = await resolveInRepo(root, change.path);
        const before = await readIfExists(abs);
        if (before === null) return 'already gone';
        await write(proposal, change.path, abs, before, null);
        return undefined;
      }
      case 'command': {
        const cwd = repoPath(change.cwd) === '.' ? root : await resolveInRepo(root, change.cwd);
        if (options.dryRun) return `would run: ${change.command}`;
        if (!runCommands) throw new ApplyRefused(`not run: ${change.command}`);
        const touched = await Promise.all(
          change.touches.map(async (rel) => {
            const abs = await resolveInRepo(root, rel);
            const before = await readIfExists(abs);
            return { rel, abs, before, mode: before === null ? undefined : (await stat(abs)).mode & 0o7777 };
          }),
        );
        // Keep the pre-images before the command can change them.
        for (const t of touched) if (t.before !== null) await storeBackup(root, t.before);
        if (!chain) throw new ApplyRefused(`refused by the safety policy: \`${change.command}\` was not parsed`);
        const run = await runCommandChain(chain, cwd, {
          ...(options.commandTimeoutMs !== undefined ? { timeoutMs: options.commandTimeoutMs } : {}),
          onOutput: (text) => options.onProgress?.({ type: 'output', proposal, text }),
        });
        if (!run.ok) {
          // Leave the touched files as they were: a half-done install must not leave a half-edited lockfile.
          for (const t of touched) {
            const after = await readIfExists(t.abs);
            const same =
              (after === null && t.before === null) || (after !== null && t.before !== null && after.equals(t.before));
            if (same) continue;
            if (t.before === null) await rm(t.abs, { force: true });
            else await writeFileAtomic(t.abs, t.before, t.mode !== undefined ? { mode: t.mode } : {});
          }
          const which = chain.length > 1 ? ` (at \`${run.argv.join(' ')}\`)` : '';
          const why = run.timedOut ? `timed out${which}` : `exited with ${run.code ?? 'an error'}${which}`;
          throw new ApplyRefused(
            `\`${change.command}\` ${why}${run.tail ? `:\n${run.tail.split('\n').slice(-8).join('\n')}` : ''}`,
          );
        }
        for (const t of touched) {
          const after = await readIfExists(t.abs);
          const same =
            (after === null && t.before === null) || (after !== null && t.before !== null && after.equals(t.before));
          if (same) continue;
          const path = repoPath(t.rel);
          changes.push({
            proposalId: proposal.id,
            path,
            before: t.before && displayText(t.before),
            after: after && displayText(after),
          });
          const record: AppliedWrite = {
            path,
            step: proposal.step,
            proposalId: proposal.id,
            before:
              t.before === null
                ? null
                : { ...(await storeBackup(root, t.before)), ...(t.mode !== undefined ? { mode: t.mode } : {}) },
            after: after === null ? null : { sha256: sha256(after) },
            at: now().toISOString(),
          };
          writes.push(record);
          // Commands of one wave run together: their journal writes go one after another, each with all writes so far.
          journalled = journalled.then(() => writeJournal(root, writes));
          await journalled;
        }
        return `ran in ${(run.durationMs / 1000).toFixed(1)} s`;
      }
    }
  };

  const applyAndReport = async (proposal: Proposal): Promise<ApplyResult> => {
    options.onProgress?.({ type: 'start', proposal });
    const blocked = proposal.after.filter((id) => failed.has(id));
    let result: ApplyResult;
    if (blocked.length > 0) {
      result = {
        proposalId: proposal.id,
        ok: false,
        status: 'failed',
        message: `not applied: it needs ${blocked.join(', ')}, which did not apply`,
      };
    } else {
      try {
        const message = await applyOne(proposal);
        // A note changes nothing: it is never "applied" — the user must make the change it describes.
        result =
          proposal.change.kind === 'note'
            ? {
                proposalId: proposal.id,
                ok: true,
                status: isRequiredNote(proposal) ? 'needs-edit' : 'advice',
                message: noteMessage(proposal),
              }
            : { proposalId: proposal.id, ok: true, status: 'applied', ...(message ? { message } : {}) };
      } catch (error) {
        const message = error instanceof ApplyRefused ? error.message : describeError(error);
        result = { proposalId: proposal.id, ok: false, status: 'failed', message };
      }
    }
    options.onProgress?.({ type: 'done', proposal, result });
    return result;
  };

  // Commands that do not touch each other (installs of different services) run together; results stay in plan order.
  for (const wave of concurrentWaves(orderProposals(proposals), options.dryRun === true || !runCommands)) {
    const waveResults = await Promise.all(wave.map(applyAndReport));
    for (const result of waveResults) {
      if (!result.ok) failed.add(result.proposalId);
      results.push(result);
    }
  }
  return { results, writes, changes };
}

function isRequiredNote(proposal: Proposal): boolean {
  return proposal.change.kind === 'note' && proposal.change.required === true;
}

/** What a note's apply result says: nothing was changed, and whether the step waits for the user's edit. */
export function noteMessage(proposal: Proposal): string {
  return isRequiredNote(proposal)
    ? `needs your edit: trace-guide changed nothing; make this change yourself, then mark it done with \`trace-guide apply --step ${STEP_ORDER.indexOf(proposal.step) + 1} --only ${proposal.id} --done\` (the step is not proven until then)`
    : 'advice: trace-guide changed nothing; follow it yourself where it applies';
}
