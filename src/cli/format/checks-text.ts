import { STATUS_MARK } from '../../types/check-result.js';
import type { CheckedStep } from '../../workflow/check-step.js';
import type { Skill } from '../../skill/schema.js';
import { getChecklistItem, getStep } from '../../skill/lookup.js';
import { STEP_ORDER } from '../../skill/load.js';

const MARK = STATUS_MARK;

/** Check results as a person reads them: per step, a mark per item, the summary, evidence and fix indented. */
export function formatCheckedSteps(skill: Skill, steps: readonly CheckedStep[]): string {
  return steps
    .map((step) => {
      const title = getStep(skill, STEP_ORDER[step.index]!).title;
      const lines = step.results.map((result) => {
        const item = getChecklistItem(skill, result.itemId);
        const required = step.required.includes(result.itemId) ? '' : ' (optional)';
        const evidence = result.evidence
          .slice(0, 5)
          .map((e) =>
            'note' in e ? `      ${e.note}` : `      ${e.file}:${e.line}${e.text ? `  ${e.text.trim()}` : ''}`,
          );
        const fix = result.status !== 'pass' && result.fix ? [`      fix: ${result.fix}`] : [];
        return [`  ${MARK[result.status]} ${item.title}${required}: ${result.summary}`, ...evidence, ...fix].join('\n');
      });
      const notes = step.openNotes?.length
        ? `\n  ✎ needs your edit first: ${step.openNotes.join(', ')} (then: trace-guide apply --step ${step.index + 1} --only ${step.openNotes.join(',')} --done)`
        : '';
      const verdict = step.proven ? 'proven: the step is done' : `not proven yet${notes}`;
      return `Step ${step.index + 1} — ${title}: ${verdict}\n${lines.join('\n')}`;
    })
    .join('\n\n');
}
