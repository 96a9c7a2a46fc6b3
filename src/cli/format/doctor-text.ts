/** The doctor's findings as text: cause, confidence, summary, evidence, and each fix with its diff. */
import type { PreviewedFinding } from '../../workflow/doctor-fixes.js';

export function findingLines(findings: readonly PreviewedFinding[]): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(
      `✗ ${f.cause}${f.service ? ` (${f.service})` : ''} — confidence ${f.confidence}`,
      `  ${f.summary}`,
      '  Evidence:',
    );
    for (const e of f.evidence)
      lines.push(
        `    - ${e.file ? `${e.file}:${e.line ?? '?'}: ` : ''}${e.note}${e.text ? `\n      ${e.text.trim()}` : ''}`,
      );
    if (f.previews.length === 0) lines.push('  Fix: no automatic change proposed.');
    for (const p of f.previews) {
      lines.push(`  Fix: ${p.proposal.title} [${p.proposal.id}]${p.problem ? ` (would not apply: ${p.problem})` : ''}`);
      lines.push(...p.text.split('\n').map((l) => `    ${l}`));
    }
    lines.push('');
  }
  return lines;
}
