/** The Python source files of a service as the step-3 recipe reads them: listed once per plan, read through the RepoReader. */
import { planFiles } from '../../../plan/recipes/plan-files.js';
import { isReadSource } from '../../../repo/source-files.js';
import type { Service } from '../../../types/scan.js';
import type { PlanContext } from '../../../plan/context.js';

export interface PySource {
  /** Repo-relative POSIX path. */
  path: string;
  text: string;
}

/** More files than this and the service is read from its entry and framework files only (a guess is not worth a slow plan). */
const MAX_FILES = 300;
/**
 * The service's own .py files (not tests, migrations, manage.py or trace-guide's set-up module), the files named first
 * in `first` order (entry file, framework files) so the recipe's span budget goes to them before the others.
 */
export async function pythonSources(ctx: PlanContext, service: Service, first: readonly string[]): Promise<PySource[]> {
  const prefix = service.root === '.' || service.root === '' ? '' : `${service.root}/`;
  const listed = (await planFiles(ctx)).filter(
    (f) => f.startsWith(prefix) && f.endsWith('.py') && isReadSource('python', f.slice(prefix.length)),
  );
  const chosen = listed.length > MAX_FILES ? first : [...first, ...listed.sort()];
  const out: PySource[] = [];
  for (const file of [...new Set(chosen)]) {
    if (/(?:^|\/)(?:manage|otel_setup|gunicorn\.conf)\.py$/.test(file)) continue;
    const text = await ctx.repo.read(file);
    if (text !== undefined) out.push({ path: file, text });
  }
  return out;
}
