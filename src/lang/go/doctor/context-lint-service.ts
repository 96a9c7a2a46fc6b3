/** The doctor's context-dropped lint of one Go service: its SDK set-up files and go.mod's go version. */
import { inService } from '../../../plan/context.js';
import type { Service } from '../../../types/scan.js';
import type { CheckContext } from '../../../verify/check.js';
import { readText } from '../../../source-reading/repo-files.js';
import type { SdkSetup } from '../../../source-reading/sdk-setup.js';
import type { ServiceLint } from '../../../doctor/context-dropped/service-lint-result.js';
import { parseGoMod } from '../recipes/go-mod.js';
import { lintGo } from './context-lint.js';

export async function lintGoService(ctx: CheckContext, service: Service, setup: SdkSetup): Promise<ServiceLint> {
  const mod = await readText(ctx, inService(service, 'go.mod'));
  return { sites: lintGo(setup.files, mod ? parseGoMod(mod).goVersion : undefined), extra: [] };
}
