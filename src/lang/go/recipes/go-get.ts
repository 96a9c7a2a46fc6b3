/** The `go get module@version …` proposal for the modules a service still lacks (or has at a lower version). */
import type { Service } from '../../../types/scan.js';
import { commandIfInstalled, type ProposalHead } from '../../../plan/proposal-builders.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import { compareModuleVersions, type GoModFile } from './go-mod.js';

export interface ModulePin {
  path: string;
  version: string;
}

/** The pins go.mod does not already satisfy. */
export function missingPins(mod: GoModFile, pins: readonly ModulePin[]): ModulePin[] {
  return pins.filter((pin) => {
    const have = mod.requires.get(pin.path);
    return have === undefined || compareModuleVersions(have, pin.version) < 0;
  });
}

/**
 * `go get` of the pins, then `go mod tidy` (go get leaves the new modules marked indirect and go.sum without the sums of
 * their packages' dependencies), in the service's folder; a note when go is not installed.
 */
export async function goGetProposal(
  ctx: PlanContext,
  service: Service,
  head: ProposalHead,
  pins: readonly ModulePin[],
): Promise<Proposal> {
  const cmd = `go get ${pins.map((p) => `${p.path}@${p.version}`).join(' ')} && go mod tidy`;
  const cwd = service.root === '' ? '.' : service.root;
  return commandIfInstalled(ctx, 'go', head, cmd, cwd, [inService(service, 'go.mod'), inService(service, 'go.sum')]);
}
