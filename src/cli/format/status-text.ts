import type { SessionSummary } from '../../session/summary.js';

const MARK: Record<string, string> = { pending: '·', current: '▸', done: '✓', skipped: '↷', failed: '✗' };

/** The session as a person reads it. */
export function formatStatus(summary: SessionSummary): string {
  const lines = [
    `Session ${summary.id} in ${summary.repoRoot}`,
    `  started ${summary.createdAt}, last change ${summary.updatedAt}`,
    summary.finished
      ? '  all six steps are finished'
      : `  at step ${summary.current.number} (${summary.current.title}), phase ${summary.current.phase}`,
    '',
  ];
  for (const step of summary.steps) {
    let line = `  ${MARK[step.status] ?? ' '} ${step.number}. ${step.title.padEnd(36)} ${step.status}`;
    if (step.status === 'current' || step.status === 'failed') line += ` (${step.phase})`;
    lines.push(line);
    for (const skip of step.skips) {
      lines.push(
        `      skipped ${skip.at}${skip.reason ? `: ${skip.reason}` : ''}${skip.unverified.length ? `; unproven: ${skip.unverified.join(', ')}` : ''}`,
      );
    }
    if (step.failing.length > 0) lines.push(`      failing: ${step.failing.join(', ')}`);
  }
  if (summary.drift.length > 0) {
    lines.push('', 'Changed since trace-guide wrote them (left as they are):');
    for (const drift of summary.drift) lines.push(`  ${drift.kind.padEnd(10)} ${drift.path}  (step ${drift.step})`);
  }
  return lines.join('\n');
}
