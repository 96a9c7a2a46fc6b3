/** The doctor's context-dropped lint of one Go service: its SDK set-up files and go.mod's go version. */
import { inService } from '../../../plan/context.js';
import type { Service } from '../../../repo/scan-schema.js';
import type { CheckContext } from '../../../verify/check.js';
import { readText } from '../../../verify/checks/static/support/repo-files.js';
import type { SdkSetup } from '../../../verify/checks/static/support/sdk-setup.js';
import type { ServiceLint } from '../../../doctor/context-dropped/service-lint-result.js';
import { parseGoMod } from '../recipes/go-mod.js';
import { lintGo } from './context-lint.js';

export async function lintGoService(ctx: CheckContext, service: Service, setup: SdkSetup): Promise<ServiceLint> {
  const mod = await readText(ctx, inService(service, 'go.mod'));
  return { sites: lintGo(setup.files, mod ? parseGoMod(mod).goVersion : undefined), extra: [] };
}
