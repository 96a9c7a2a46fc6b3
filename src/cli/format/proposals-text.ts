import type { ProposalPreview } from '../../edit/preview.js';

const KIND_LABEL = { edit: 'edit', create: 'new file', delete: 'delete', command: 'run', note: 'note' } as const;

/** Proposals as a reviewer reads them in a terminal: id, kind, title, why, then the diff / command / note indented. */
export function formatProposals(previews: readonly ProposalPreview[]): string {
  if (previews.length === 0)
    return 'Nothing to propose: this step looks done already (or does not apply to this repo).\n';
  return previews
    .map((preview, i) => {
      const { proposal } = preview;
      const change = proposal.change;
      const target = 'path' in change ? ` ${change.path}` : '';
      const head = `${i + 1}. [${proposal.id}] ${KIND_LABEL[change.kind]}${target}: ${proposal.title}\n   why: ${proposal.why}\n`;
      const problem = preview.problem ? `   ! would not apply: ${preview.problem}\n` : '';
      const body = preview.text
        .trimEnd()
        .split('\n')
        .map((line) => `   ${line}`)
        .join('\n');
      return `${head}${problem}${body}\n`;
    })
    .join('\n');
}

/** A proposal as JSON for agents: the proposal itself plus its rendered diff and any problem. */
export function proposalJson(preview: ProposalPreview): Record<string, unknown> {
  return { ...preview.proposal, preview: preview.text, ...(preview.problem ? { problem: preview.problem } : {}) };
}
