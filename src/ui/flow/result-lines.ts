import { currentStep, failingRequired, pendingNotes } from '../../session/machine.js';
import type { Session } from '../../session/schema.js';
import type { Skill } from '../../skill/schema.js';
import type { Finding } from '../actions.js';
import { checkLines, wrapLines, type Line } from '../text.js';

/** The doctor's findings after a runtime check failed: cause, summary, first evidence, and the fixes `f` applies. */
export function doctorLines(findings: readonly Finding[] | undefined, color: boolean): Line[] {
  if (!findings || findings.length === 0) return [];
  const lines: Line[] = [{ text: 'Doctor — why the runtime checks failed:', bold: true }];
  for (const f of findings) {
    lines.push({ text: `✗ ${f.summary} (${f.cause}, confidence ${f.confidence})`, ...(color ? { color: 'red' } : {}) });
    const first = f.evidence[0];
    if (first)
      lines.push({ text: `    ${first.file ? `${first.file}:${first.line ?? '?'}: ` : ''}${first.note}`, dim: true });
    for (const p of f.proposals)
      lines.push({
        text: `    fix: ${p.title}${p.change.kind === 'note' ? ' (advice)' : ''}`,
        ...(color ? { color: 'yellow' } : {}),
      });
  }
  return lines;
}

/** What applying gave and what the checks found, as lines of one scrollable view. */
export function resultLines(session: Session, skill: Skill, color: boolean, width: number): Line[] {
  const record = currentStep(session);
  const lines: Line[] = [];
  if (record.applied.length > 0) {
    lines.push({ text: 'Applied:', bold: true });
    for (const result of record.applied) {
      const title = record.proposals.find((p) => p.id === result.proposalId)?.title ?? result.proposalId;
      // A note is never ✓: trace-guide changed nothing (✎ needs your edit until marked done by you; · advice).
      const note = result.ok && result.status === 'needs-edit';
      const advice = result.ok && result.status === 'advice';
      const markedDone = note && (record.notesDone ?? []).includes(result.proposalId);
      lines.push({
        text: note
          ? `${markedDone ? '✓' : '✎'} ${title} — ${markedDone ? 'done by you' : 'needs your edit'}`
          : advice
            ? `· ${title} — advice, nothing was changed`
            : `${result.ok ? '✓' : '✗'} ${title}${result.message ? ` — ${result.message}` : ''}`,
        ...(color
          ? { color: note ? (markedDone ? 'green' : 'yellow') : advice ? 'gray' : result.ok ? 'green' : 'red' }
          : {}),
      });
    }
  } else if (record.phase === 'verify' && record.proposals.length > 0 && record.checks.length === 0) {
    lines.push({ text: 'Nothing was applied in this step.', dim: true });
  }
  if (record.checks.length > 0) {
    const required = new Set(record.required);
    lines.push({ text: `Checks (run ${record.checkRuns}):`, bold: true });
    for (const result of record.checks) {
      const title = skill.checklist.find((c) => c.id === result.itemId)?.title ?? result.itemId;
      lines.push(...checkLines(result, title, required.has(result.itemId), color));
    }
  }
  if (record.phase === 'done') {
    if (record.outcome === 'skipped')
      lines.push({ text: '↷ step skipped (recorded)', ...(color ? { color: 'yellow' } : {}) });
    else lines.push({ text: '✓ step proven', bold: true, ...(color ? { color: 'green' } : {}) });
  } else if (record.phase === 'verify' && record.checks.length > 0) {
    const failing = [...failingRequired(record), ...pendingNotes(record).map((p) => `${p.id} (needs your edit)`)];
    lines.push({ text: `✗ not proven yet: ${failing.join(', ')}`, ...(color ? { color: 'red' } : {}) });
  } else if (record.phase === 'apply' && record.applied.some((r) => !r.ok)) {
    lines.push({
      text: 'Some changes did not apply: fix what is said above, then a to apply again.',
      ...(color ? { color: 'yellow' } : {}),
    });
  }
  return wrapLines(lines, width);
}
