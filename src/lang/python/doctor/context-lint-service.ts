/** The doctor's context-dropped lint of one Python service: threads lose context unless threading is instrumented. */
import { inService } from '../../../plan/context.js';
import type { Service } from '../../../types/scan.js';
import type { CheckContext } from '../../../verify/check.js';
import { readText } from '../../../source-reading/repo-files.js';
import type { SdkSetup } from '../../../source-reading/sdk-setup.js';
import type { ServiceLint } from '../../../doctor/context-dropped/service-lint-result.js';
import { lintPython } from './context-lint.js';

export async function lintPythonService(ctx: CheckContext, service: Service, setup: SdkSetup): Promise<ServiceLint> {
  const reqs = await Promise.all(
    ['requirements.txt', 'pyproject.toml', 'Pipfile'].map((f) => readText(ctx, inService(service, f))),
  );
  const instrumented =
    setup.files.some((f) => /ThreadingInstrumentor|opentelemetry\.instrumentation\.threading/.test(f.code)) ||
    reqs.some((t) => t !== undefined && /opentelemetry-instrumentation-threading/.test(t));
  return { sites: lintPython(setup.files, instrumented), extra: [] };
}
