/** The `score` command's text: the score and band, a table of rules with their evidence, the fixes, the rules not evaluated. */
import type { RepoScore } from '../../score/score-repo.js';
import type { RuleResult } from '../../score/evaluate.js';
import type { RuleEvidence } from '../../score/types.js';

const MARK: Record<RuleResult['status'], string> = { pass: '✓', fail: '✗', 'not-evaluated': '○' };
const STATUS: Record<RuleResult['status'], string> = { pass: 'pass', fail: 'FAIL', 'not-evaluated': 'not evaluated' };

function evidenceLine(e: RuleEvidence): string {
  const facts = [
    e.service && `service ${e.service}`,
    e.attribute && `attribute ${e.attribute}`,
    e.traceId && `trace ${e.traceId}`,
    e.spanIds?.length && `spans ${e.spanIds.join(', ')}`,
    e.count !== undefined && `count ${e.count}`,
  ].filter(Boolean);
  return `      · ${e.note}${facts.length > 0 ? ` [${facts.join('; ')}]` : ''}`;
}

export function formatScore(scored: RepoScore, min?: number): string {
  const { report } = scored;
  const lines: string[] = [];
  for (const s of scored.services)
    lines.push(
      `${s.status === 'running' ? '•' : '○'} ${s.id}: ${s.status}${s.reportedName ? ` (service.name ${s.reportedName})` : ''}${s.reason ? ` — ${s.reason.split('\n')[0]}` : ''}`,
    );
  if (scored.savedRun) {
    const { file, requests } = scored.savedRun;
    lines.push(
      `${report.spans} span(s) read from ${file} (${requests.traces} trace, ${requests.logs} log and ${requests.metrics} metric export request(s)); nothing was started.`,
      '',
    );
  } else
    lines.push(
      `${report.spans} span(s) arrived from ${scored.probes} probe(s)${scored.waitProblem ? ` — ${scored.waitProblem}` : ''}.`,
      '',
    );
  lines.push(
    report.score === null
      ? 'Instrumentation Score: none — no rule could be evaluated.'
      : `Instrumentation Score: ${report.score} — ${report.band} (${report.passedWeight}/${report.evaluatedWeight} weighted; ${report.passed} passed, ${report.failed} failed, ${report.notEvaluated} not evaluated)`,
  );
  if (min !== undefined)
    lines.push(report.score !== null && report.score >= min ? `At or above --min ${min}.` : `Below --min ${min}.`);
  lines.push('');
  const idWidth = Math.max(...report.rules.map((r) => r.id.length));
  for (const r of report.rules) {
    lines.push(
      `${MARK[r.status]} ${r.id.padEnd(idWidth)}  ${r.impact.padEnd(9)}  ${STATUS[r.status].padEnd(13)}  ${r.title}${r.proposed ? ' (proposed)' : ''}`,
    );
    lines.push(`      ${r.summary}`);
    for (const e of r.evidence.slice(0, 5)) lines.push(evidenceLine(e));
    if (r.evidence.length > 5) lines.push(`      · … and ${r.evidence.length - 5} more`);
  }
  if (scored.fixes.length > 0) {
    lines.push('', 'Fixes:');
    for (const fix of scored.fixes) {
      for (const p of fix.proposals) {
        lines.push(`  ${fix.ruleId} ${p.id} (${p.change.kind}): ${p.title}`);
        if (p.change.kind === 'note') lines.push(`      ${p.change.text}`);
        else if (p.change.kind === 'edit')
          for (const e of p.change.edits)
            lines.push(
              `      in ${p.change.path}:`,
              ...e.new
                .split('\n')
                .filter((l) => !e.old.split('\n').includes(l))
                .map((l) => `      + ${l}`),
            );
        else if (p.change.kind === 'create') lines.push(`      create ${p.change.path}`);
        else if (p.change.kind === 'command') lines.push(`      run: ${p.change.command}`);
      }
    }
  }
  lines.push(
    '',
    `Not evaluated in one local run (in neither sum): ${report.notEvaluatedLocally.map((r) => r.id).join(', ')}.`,
  );
  for (const r of report.notEvaluatedLocally) lines.push(`  ○ ${r.id} (${r.title}): ${r.reason}`);
  return lines.join('\n');
}
