import { diagnose } from '../../doctor/diagnose.js';
import { previewProposals } from '../../edit/preview.js';
import { RepoReader } from '../../plan/context.js';
import { scanRepo } from '../../repo/scan.js';
import { openWorkspace } from '../../session/workspace.js';
import type { CheckContext } from '../../verify/check.js';
import { startRuntimeRun, type RuntimeRun } from '../../verify/runtime/runtime-run.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';

/** `trace-guide doctor [dir] [--json]`: why spans do not arrive or traces break, found by cause. Exit 1 on a finding. */
export async function runDoctor(args: ParsedArgs): Promise<number> {
  const workspace = await openWorkspace(args.dir);
  const scan = await scanRepo(workspace.root);
  let started: Promise<RuntimeRun> | undefined;
  const ctx: CheckContext = {
    root: workspace.root,
    skill: workspace.skill,
    scan,
    inputs: {},
    services: scan.services,
    repo: new RepoReader(workspace.root),
    runtime: () => (started ??= startRuntimeRun(ctx, { ports: 'free' })),
  };
  let diagnosis;
  try {
    diagnosis = await diagnose(ctx);
  } finally {
    if (started) await (await started.catch(() => undefined))?.close();
  }
  const findings = await Promise.all(
    diagnosis.findings.map(async (f) => ({ ...f, previews: await previewProposals(workspace.root, f.proposals) })),
  );
  const code = findings.length > 0 ? EXIT.checksFailed : EXIT.ok;
  if (args.json) {
    writeJson({
      ok: findings.length === 0,
      spansArrived: diagnosis.spansArrived,
      services: diagnosis.services,
      findings: findings.map(({ previews, ...f }) => ({ ...f, previews: previews.map((p) => ({ id: p.proposal.id, text: p.text, ...(p.problem ? { problem: p.problem } : {}) })) })),
    });
    return code;
  }
  const lines: string[] = [];
  if (findings.length === 0) lines.push(`No cause found: ${diagnosis.spansArrived} spans arrived and traces are whole.`);
  for (const f of findings) {
    lines.push(`✗ ${f.cause}${f.service ? ` (${f.service})` : ''} — confidence ${f.confidence}`, `  ${f.summary}`, '  Evidence:');
    for (const e of f.evidence) lines.push(`    - ${e.file ? `${e.file}:${e.line ?? '?'}: ` : ''}${e.note}${e.text ? `\n      ${e.text.trim()}` : ''}`);
    if (f.previews.length === 0) lines.push('  Fix: no automatic change proposed.');
    for (const p of f.previews) {
      lines.push(`  Fix: ${p.proposal.title} [${p.proposal.id}]${p.problem ? ` (would not apply: ${p.problem})` : ''}`);
      lines.push(...p.text.split('\n').map((l) => `    ${l}`));
    }
    lines.push('');
  }
  writeText(lines.join('\n'));
  return code;
}
