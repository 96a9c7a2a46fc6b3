/**
 * Runs the context-dropped linter of a service's language over its SDK set-up files, reading what each linter needs
 * from the service (go.mod's go version, Python's threading instrumentation, Node's package.json and SDK version).
 */
import { editFile } from '../../plan/build.js';
import { inService } from '../../plan/context.js';
import type { Proposal } from '../../plan/proposal.js';
import { parseGoMod } from '../../lang/go/recipes/go-mod.js';
import { parsePackageJsonData } from '../../lang/node/recipes/package-json.js';
import type { Service } from '../../repo/scan-schema.js';
import type { CheckContext } from '../../verify/check.js';
import { readText } from '../../verify/checks/static/support/repo-files.js';
import { sdkSetup } from '../../verify/checks/static/support/sdk-setup.js';
import { resolveNodePackage } from '../../lang/node/doctor/packages.js';
import { serviceDir } from '../packages/service-paths.js';
import { headOf } from '../util.js';
import { CONTEXT_DROPPED_ID as ID, type DropSite } from './drop-site.js';
import { lintGo } from '../../lang/go/doctor/context-lint.js';
import { lintNode } from '../../lang/node/doctor/context-lint.js';
import { lintPython } from '../../lang/python/doctor/context-lint.js';

export async function lintService(ctx: CheckContext, service: Service): Promise<{ sites: DropSite[]; extra: Proposal[] }> {
  const setup = await sdkSetup(ctx, service);
  const files = setup.files;
  if (service.language === 'go') {
    const mod = await readText(ctx, inService(service, 'go.mod'));
    return { sites: lintGo(files, mod ? parseGoMod(mod).goVersion : undefined), extra: [] };
  }
  if (service.language === 'python') {
    const reqs = await Promise.all(['requirements.txt', 'pyproject.toml', 'Pipfile'].map((f) => readText(ctx, inService(service, f))));
    const instrumented = files.some((f) => /ThreadingInstrumentor|opentelemetry\.instrumentation\.threading/.test(f.code)) || reqs.some((t) => t !== undefined && /opentelemetry-instrumentation-threading/.test(t));
    return { sites: lintPython(files, instrumented), extra: [] };
  }
  if (service.language === 'node') {
    const pkgPath = inService(service, 'package.json');
    const pkgText = await readText(ctx, pkgPath);
    const data = pkgText ? parsePackageJsonData(pkgText) : undefined;
    const deps = { ...data?.devDependencies, ...data?.dependencies };
    let range = deps['@opentelemetry/sdk-trace-base'] ?? deps['@opentelemetry/sdk-trace-node'] ?? deps['@opentelemetry/core'];
    if (!range) {
      // What `require` would load from the service folder (Node's lookup, which may leave the repo: a linked node_modules).
      const installed = resolveNodePackage(ctx.root, serviceDir(ctx, service), '@opentelemetry/sdk-trace-base');
      if (installed) range = `^${installed.version}`;
    }
    const got = lintNode(files, { ...(pkgText ? { packageJson: { path: pkgPath, text: pkgText } } : {}), ...(range ? { asyncHooksRange: range } : {}), agent: setup.agentStart !== undefined });
    const extra = got.packageEdit
      ? [
          editFile(
            headOf(ID, service, `Add @opentelemetry/context-async-hooks to ${service.name}`, 'the context manager the set-up registers comes from it; install it after applying', 'propagation'),
            got.packageEdit.path,
            [got.packageEdit.edit],
          ),
        ]
      : [];
    return { sites: got.sites, extra };
  }
  return { sites: [], extra: [] };
}
