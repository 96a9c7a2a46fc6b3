import { answerOffline, formatOfflineAnswer, KEY_HINT } from '../../chat/offline-answer.js';
import { answerWithModel, formatChatUsage, repoContext } from '../../chat/model-answer.js';
import { openWorkspace } from '../../session/workspace.js';
import { STEP_ORDER } from '../../skill/load.js';
import { choosePlanner } from '../../workflow/plan-step.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide ask [dir] [--step N] "question"`: with ANTHROPIC_API_KEY (or --model), Claude answers, streamed, from
 * the step's reference page and the repo's scan; offline (or --offline), the best passages of the reference pages.
 */
export async function runAsk(args: ParsedArgs): Promise<number> {
  const choice = choosePlanner(args);
  const workspace = await openWorkspace(args.dir);
  const question = args.question ?? '';
  const step = args.step !== undefined ? STEP_ORDER[args.step] : undefined;
  if (choice.kind === 'recipes') {
    const answer = answerOffline(workspace.skill, question, step ? { step } : {});
    if (args.json) {
      writeJson({
        ok: true,
        mode: 'offline',
        question,
        step: step ?? null,
        passages: answer.passages.map((p) => ({
          step: p.step,
          page: p.page,
          heading: p.heading,
          text: p.text,
          score: Number(p.score.toFixed(3)),
        })),
        hint: KEY_HINT,
      });
    } else {
      writeText(formatOfflineAnswer(answer));
    }
    return EXIT.ok;
  }
  const repo = await repoContext(workspace);
  const answer = await answerWithModel(
    workspace.skill,
    question,
    { ...(step ? { step } : {}), repo: repo.text },
    {
      apiKey: choice.apiKey,
      ...(choice.baseURL !== undefined ? { baseURL: choice.baseURL } : {}),
      ...(choice.model !== undefined ? { model: choice.model } : {}),
      ...(args.json ? {} : { onText: (text: string) => process.stdout.write(text) }),
    },
  );
  if (args.json) {
    writeJson({
      ok: true,
      mode: 'model',
      question,
      step: step ?? null,
      model: answer.model,
      answer: answer.text,
      usage: answer.usage,
      stopReason: answer.stopReason,
    });
  } else {
    if (!answer.text.endsWith('\n')) process.stdout.write('\n');
    progress(
      `(${formatChatUsage(answer)}; repo context from the ${repo.source === 'session' ? 'session' : 'fresh scan'})`,
    );
  }
  return EXIT.ok;
}
