/** The doctor's context-dropped lint of one Node service: its SDK set-up files, package.json and SDK version. */
import { editFile } from '../../../plan/proposal-builders.js';
import { inService } from '../../../plan/context.js';
import type { Service } from '../../../types/scan.js';
import type { CheckContext } from '../../../verify/check.js';
import { readText } from '../../../source-reading/repo-files.js';
import type { SdkSetup } from '../../../source-reading/sdk-setup.js';
import { serviceDir } from '../../../doctor/packages/service-paths.js';
import { headOf } from '../../../doctor/finding-helpers.js';
import { CONTEXT_DROPPED_ID as ID } from '../../../doctor/context-dropped/drop-site.js';
import type { ServiceLint } from '../../../doctor/context-dropped/service-lint-result.js';
import { parsePackageJsonData } from '../recipes/package-json.js';
import { lintNode } from './context-lint.js';
import { resolveNodePackage } from './packages.js';

export async function lintNodeService(ctx: CheckContext, service: Service, setup: SdkSetup): Promise<ServiceLint> {
  const pkgPath = inService(service, 'package.json');
  const pkgText = await readText(ctx, pkgPath);
  const data = pkgText ? parsePackageJsonData(pkgText) : undefined;
  const deps = { ...data?.devDependencies, ...data?.dependencies };
  let range =
    deps['@opentelemetry/sdk-trace-base'] ?? deps['@opentelemetry/sdk-trace-node'] ?? deps['@opentelemetry/core'];
  if (!range) {
    // What `require` would load from the service folder (Node's lookup, which may leave the repo: a linked node_modules).
    const installed = resolveNodePackage(ctx.root, serviceDir(ctx, service), '@opentelemetry/sdk-trace-base');
    if (installed) range = `^${installed.version}`;
  }
  const got = lintNode(setup.files, {
    ...(pkgText ? { packageJson: { path: pkgPath, text: pkgText } } : {}),
    ...(range ? { asyncHooksRange: range } : {}),
    agent: setup.agentStart !== undefined,
  });
  const extra = got.packageEdit
    ? [
        editFile(
          headOf(
            ID,
            service,
            `Add @opentelemetry/context-async-hooks to ${service.name}`,
            'the context manager the set-up registers comes from it; install it after applying',
            'propagation',
          ),
          got.packageEdit.path,
          [got.packageEdit.edit],
        ),
      ]
    : [];
  return { sites: got.sites, extra };
}
