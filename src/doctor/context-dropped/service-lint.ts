/**
 * Runs the context-dropped linter of a service's language (src/lang/context-linters.ts) over its SDK set-up files.
 */
import { CONTEXT_LINTERS } from '../../lang/context-linters.js';
import type { Service } from '../../types/scan.js';
import type { CheckContext } from '../../verify/check.js';
import { sdkSetup } from '../../source-reading/sdk-setup.js';
import type { ServiceLint } from './service-lint-result.js';

export async function lintService(ctx: CheckContext, service: Service): Promise<ServiceLint> {
  const lint = CONTEXT_LINTERS[service.language];
  if (!lint) return { sites: [], extra: [] };
  return lint(ctx, service, await sdkSetup(ctx, service));
}
