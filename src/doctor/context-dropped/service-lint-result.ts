import type { Proposal } from '../../types/proposal.js';
import type { Service } from '../../types/scan.js';
import type { CheckContext } from '../../verify/check.js';
import type { SdkSetup } from '../../source-reading/sdk-setup.js';
import type { DropSite } from './drop-site.js';

/** What a language's context-dropped lint of one service finds: the sites, and proposals beyond each site's own. */
export interface ServiceLint {
  sites: DropSite[];
  extra: Proposal[];
}

/** A language's context-dropped lint of one service (src/lang/<language>/doctor/context-lint-service.ts). */
export type ServiceLinter = (ctx: CheckContext, service: Service, setup: SdkSetup) => Promise<ServiceLint>;
