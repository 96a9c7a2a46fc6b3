import type { Proposal } from '../../plan/proposal.js';
import type { Service } from '../../repo/scan-schema.js';
import type { CheckContext } from '../../verify/check.js';
import type { SdkSetup } from '../../verify/checks/static/support/sdk-setup.js';
import type { DropSite } from './drop-site.js';

/** What a language's context-dropped lint of one service finds: the sites, and proposals beyond each site's own. */
export interface ServiceLint {
  sites: DropSite[];
  extra: Proposal[];
}

/** A language's context-dropped lint of one service (src/lang/<language>/doctor/context-lint-service.ts). */
export type ServiceLinter = (ctx: CheckContext, service: Service, setup: SdkSetup) => Promise<ServiceLint>;
