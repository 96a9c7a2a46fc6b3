import { usageError } from '../../core/errors.js';
import { applyResultLine } from '../format/apply-result-mark.js';
import { diagnose } from '../../doctor/diagnose.js';
import { applyDoctorFixes, chosenFixes, previewFindings } from '../../workflow/doctor-fixes.js';
import { scanRepo } from '../../repo/scan.js';
import { findSession, openWorkspace } from '../../session/workspace.js';
import { checkContextFor } from '../../workflow/check-context.js';
import type { CheckContext } from '../../verify/check.js';
import { startRuntimeRun, type RuntimeRun } from '../../verify/runtime/runtime-run.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';
import { findingLines } from '../format/doctor-text.js';

/**
 * `trace-guide doctor [dir] [--json] [--yes [--only ids]]`: why spans do not arrive or traces break, found by cause,
 * each with its fix as a diff; `--yes` applies the fixes (undo restores them). Exit 1 when a cause was found.
 */
export async function runDoctor(args: ParsedArgs): Promise<number> {
  if (args.only && !args.yes) throw usageError('--only chooses which fixes --yes applies', 'add --yes to apply them');
  const workspace = await openWorkspace(args.dir);
  // The session's answers (services chosen, OTLP protocol) when there is one; the doctor starts none.
  const existing = await findSession(workspace);
  if (existing.kind === 'unusable') throw existing.error;
  const inputs = existing.kind === 'found' ? existing.session.inputs : {};
  let started: Promise<RuntimeRun> | undefined;
  const ctx: CheckContext = {
    ...checkContextFor(workspace, await scanRepo(workspace.root), inputs),
    runtime: () => (started ??= startRuntimeRun(ctx, { ports: 'free', exporterEndpoint: 'keep-local' })),
  };
  let diagnosis;
  try {
    diagnosis = await diagnose(ctx);
  } finally {
    if (started) await (await started.catch(() => undefined))?.close();
  }
  const findings = await previewFindings(workspace.root, diagnosis.findings);
  const code = findings.length > 0 ? EXIT.checksFailed : EXIT.ok;
  const fixes = args.yes && !args.dryRun ? chosenFixes(diagnosis.findings, args.only) : [];
  const outcome = fixes.length > 0 ? (await applyDoctorFixes(workspace, fixes)).outcome : undefined;
  if (args.json) {
    writeJson({
      ok: findings.length === 0,
      spansArrived: diagnosis.spansArrived,
      services: diagnosis.services,
      findings: findings.map(({ previews, ...f }) => ({
        ...f,
        previews: previews.map((p) => ({
          id: p.proposal.id,
          text: p.text,
          ...(p.problem ? { problem: p.problem } : {}),
        })),
      })),
      ...(outcome
        ? {
            applied: {
              results: outcome.results,
              written: outcome.writes.map((w) => ({
                path: w.path,
                created: w.before === null,
                deleted: w.after === null,
              })),
            },
          }
        : {}),
    });
    return code;
  }
  const lines: string[] = [];
  for (const s of diagnosis.services) {
    lines.push(
      `${s.status === 'running' ? '•' : '○'} ${s.id}: ${s.status}${s.reason ? ` — ${s.reason.split('\n')[0]}` : ''}${s.ownEndpoint ? ` (kept its own endpoint ${s.ownEndpoint})` : ''}`,
    );
  }
  lines.push(`${diagnosis.spansArrived} span(s) arrived at the built-in receiver.`, '');
  if (findings.length === 0)
    lines.push(`No cause found: ${diagnosis.spansArrived} spans arrived and traces are whole.`);
  lines.push(...findingLines(findings));
  const applicable = findings.flatMap((f) => f.previews).filter((p) => p.proposal.change.kind !== 'note' && !p.problem);
  if (outcome) {
    for (const r of outcome.results) lines.push(applyResultLine(r));
    const files = [...new Set(outcome.writes.map((w) => w.path))];
    lines.push(
      `${files.length} file(s) written${files.length ? `: ${files.join(', ')}` : ''}. Run trace-guide doctor again to confirm; undo with: trace-guide undo`,
    );
  } else if (applicable.length > 0) {
    lines.push(
      `Apply the fixes with: trace-guide doctor --yes (or --only ${applicable.map((p) => p.proposal.id).join(',')}); undo restores them.`,
    );
  }
  writeText(lines.join('\n'));
  return code;
}
