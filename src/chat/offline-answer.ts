/** `ask` without an API key: the best passages of the skill's reference pages, with their page and heading. */
import type { Skill, StepId } from '../skill/schema.js';
import { rankPassages, splitPage, splitPages, type RankedPassage } from './passages.js';

export interface OfflineAnswer {
  question: string;
  /** The step whose page was searched, or undefined when every page was. */
  step?: StepId;
  passages: RankedPassage[];
}

export function answerOffline(
  skill: Pick<Skill, 'pages'>,
  question: string,
  options: { step?: StepId; limit?: number } = {},
): OfflineAnswer {
  const page = options.step ? skill.pages[options.step] : undefined;
  const passages = options.step && page !== undefined ? splitPage(options.step, page) : splitPages(skill.pages);
  return {
    question,
    ...(options.step ? { step: options.step } : {}),
    passages: rankPassages(passages, question, options.limit ?? 3),
  };
}

export const KEY_HINT = 'Set ANTHROPIC_API_KEY for a fuller answer from Claude about your repository.';

export function formatOfflineAnswer(answer: OfflineAnswer): string {
  if (answer.passages.length === 0) {
    return `No passage of the reference pages matches "${answer.question}". Try other words, or another --step.\n\n${KEY_HINT}\n`;
  }
  const blocks = answer.passages.map((p) => `── ${p.page}${p.heading ? ` › ${p.heading}` : ''}\n\n${p.text}`);
  return `From the reference pages (offline):\n\n${blocks.join('\n\n')}\n\n${KEY_HINT}\n`;
}
