/** The proposal that installs exact Node package specs with the service's package manager, through the recipes' code. */
import type { Service } from '../../../types/scan.js';
import { commandIfInstalled, note } from '../../../plan/proposal-builders.js';
import { inService } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import { addCommand, choosePackageManager } from '../recipes/package-manager.js';
import type { CheckContext } from '../../../verify/check.js';
import { headOf } from '../../../doctor/finding-helpers.js';
import type { NodeFacts } from './packages.js';
import { planContextOf } from '../../../doctor/packages/plan-context.js';

/** The recipes' install command for exact package specs, touching package.json and the lockfile. */
export async function nodeInstallProposal(
  ctx: CheckContext,
  service: Service,
  facts: NodeFacts,
  cause: string,
  title: string,
  why: string,
  specs: string[],
): Promise<Proposal> {
  const pctx = planContextOf(ctx);
  const head = headOf(cause, service, title, why, 'auto-instrumentation');
  const choice = await choosePackageManager(pctx, service);
  if (choice.kind === 'conflict') {
    return note(
      head,
      `Lockfiles of two package managers are in ${choice.folder} (${choice.found.map((f) => f.file).join(', ')}); install with the one this project uses: ${specs.join(' ')}`,
    );
  }
  const { command, cwd } = addCommand(choice, service, facts.packageName, specs);
  const touches = [...new Set([inService(service, 'package.json'), ...(choice.lockfile ? [choice.lockfile] : [])])];
  return commandIfInstalled(
    pctx,
    choice.manager,
    { ...head, why: `${why} (${choice.manager}: ${choice.reason})` },
    command,
    cwd,
    touches,
  );
}
