import type { StepId } from '../skill/schema.js';
import { TOOL_HINTS as HINTS } from './tool-lookup.js';
import type { PlanContext } from './context.js';
import { ProposalSchema, type EditPair, type Proposal } from '../types/proposal.js';

/** What every proposal a recipe builds shares. */
export interface ProposalHead {
  id: string;
  step: StepId;
  service?: string;
  title: string;
  why: string;
  after?: string[];
}

/** Heads for the proposals of one service's recipe: ids `<service id>:<slug>`, with the step and the service filled in. */
export function serviceHeads(step: StepId, service: { id: string }) {
  return (slug: string, title: string, why: string, after: string[] = []): ProposalHead => ({
    id: `${service.id}:${slug}`,
    step,
    service: service.id,
    title,
    why,
    after,
  });
}

function make(head: ProposalHead, change: Proposal['change']): Proposal {
  return ProposalSchema.parse({ ...head, change, source: 'recipe', after: head.after ?? [] });
}

export function createFile(head: ProposalHead, path: string, content: string): Proposal {
  return make(head, { kind: 'create', path, content });
}

export function editFile(head: ProposalHead, path: string, edits: EditPair[]): Proposal {
  return make(head, { kind: 'edit', path, edits });
}

export function deleteFile(head: ProposalHead, path: string): Proposal {
  return make(head, { kind: 'delete', path });
}

export function note(head: ProposalHead, text: string): Proposal {
  return make(head, { kind: 'note', text });
}

/** A note the step cannot do without: the user makes the change by hand and marks it done before the step is proven. */
export function requiredNote(head: ProposalHead, text: string): Proposal {
  return make(head, { kind: 'note', text, required: true });
}

export function command(head: ProposalHead, cmd: string, cwd = '.', touches: string[] = []): Proposal {
  return make(head, { kind: 'command', command: cmd, cwd, touches });
}

/**
 * A command when its tool is installed; otherwise a note that names the missing tool, how to get it, and the command to
 * run once it is there (never a command that cannot run).
 */
export async function commandIfInstalled(
  ctx: PlanContext,
  tool: string,
  head: ProposalHead,
  cmd: string,
  cwd = '.',
  touches: string[] = [],
): Promise<Proposal> {
  if (await ctx.tools.has(tool)) return command(head, cmd, cwd, touches);
  const hint = HINTS[tool] ?? `install ${tool}`;
  return requiredNote(
    { ...head, title: `${head.title} (needs ${tool})` },
    `${tool} is not installed here, so this command was not proposed to run: ${hint}. Then run in ${cwd}: ${cmd}`,
  );
}
