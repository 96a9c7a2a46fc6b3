/**
 * The name a service reports (OTEL_SERVICE_NAME), from what the project says about itself, most specific first:
 * 1. the manifest's own name: package.json `name`, pyproject `[project]` / `[tool.poetry]` name, setup.py or setup.cfg
 *    `name`, the Maven / Gradle project name (read by scan.ts);
 * 2. Python: the Django project package (the package of DJANGO_SETTINGS_MODULE), else the top package of the module the
 *    start command serves (`gunicorn "shop:create_app()"`, `uvicorn orders.main:app`, `flask --app notebook run`);
 *    Go: `cmd/<name>` when the service starts from there, else the last element of the module path (a `/vN` suffix
 *    skipped);
 * 3. the folder name (the caller's fallback).
 * Package names that say nothing about the project (app, api, config, src...) are skipped: the folder says more.
 */
import { inService } from './service-input.js';

/** Package names common to every project, so naming none: the folder name is used instead. */
const GENERIC_PACKAGES = new Set([
  'app',
  'apps',
  'api',
  'application',
  'asgi',
  'backend',
  'conf',
  'config',
  'core',
  'lib',
  'main',
  'project',
  'server',
  'service',
  'settings',
  'site',
  'src',
  'web',
  'wsgi',
  'www',
]);

function meaningful(name: string | undefined): string | undefined {
  return name && !GENERIC_PACKAGES.has(name.toLowerCase()) ? name : undefined;
}

/** setup.cfg's `[metadata] name = …`, if written. */
export function setupCfgName(text: string): string | undefined {
  let inMetadata = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      inMetadata = section[1]!.trim() === 'metadata';
      continue;
    }
    const value = inMetadata ? /^name\s*[=:]\s*([^;#]*)/.exec(line)?.[1]?.trim() : undefined;
    if (value) return value;
  }
  return undefined;
}

/** The package of the settings module manage.py sets (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`). */
export function djangoProjectPackage(manageText: string): string | undefined {
  const module = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(manageText)?.[1];
  const parts = module?.split('.') ?? [];
  return parts.length >= 2 ? meaningful(parts[0]) : undefined;
}

/** The top package of a Python module file (service-relative `src/` layout skipped); undefined for a top-level module. */
export function pythonTopPackage(root: string, file: string): string | undefined {
  const parts = inService(root, file).split('/');
  if (parts[0] === 'src' && parts.length > 2) parts.shift();
  return parts.length >= 2 ? meaningful(parts[0]) : undefined;
}

/** Go: `cmd/<name>` of the file the service starts from, else the module path's last element (`/v2` skipped). */
export function goServiceName(
  root: string,
  modulePath: string | undefined,
  entry: string | undefined,
): string | undefined {
  const cmd = entry ? /(?:^|\/)cmd\/([^/]+)\/[^/]+\.go$/.exec(inService(root, entry))?.[1] : undefined;
  if (cmd) return cmd;
  const elements = (modulePath ?? '').split('/').filter(Boolean);
  if (elements.length > 1 && /^v\d+$/.test(elements.at(-1)!)) elements.pop();
  return elements.at(-1);
}

/** Python: the Django project package, else the package of the app module the service starts. */
export function pythonServiceName(root: string, input: { manageText?: string; entry?: string }): string | undefined {
  if (input.manageText) {
    const django = djangoProjectPackage(input.manageText);
    if (django) return django;
  }
  return input.entry && input.entry.endsWith('.py') && !input.entry.endsWith('manage.py')
    ? pythonTopPackage(root, input.entry)
    : undefined;
}
