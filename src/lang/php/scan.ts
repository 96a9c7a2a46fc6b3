/**
 * PHP: a service per composer.json. Listed, no recipes yet: the name is the package name without its vendor, the
 * evidence its "name" line, findings from "require".
 */
import type { Dependency } from '../../repo/manifests/dependency.js';
import { lineEvidence, listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('php', [
  packageRule('laravel', 'framework', ['laravel/framework', 'laravel/lumen-framework']),
  packageRule('symfony', 'framework', ['symfony/framework-bundle', 'symfony/http-kernel']),
  packageRule('slim', 'framework', ['slim/slim']),
  packageRule('guzzle', 'http', ['guzzlehttp/guzzle']),
  packageRule('doctrine', 'db', ['doctrine/orm', 'doctrine/dbal']),
  packageRule('monolog', 'logging', ['monolog/monolog']),
  packageRule('opentelemetry', 'tracing', ['open-telemetry/*']),
]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export const phpScanner = listedScanner(TABLE, (_kind, file, text) => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `composer.json is not valid JSON (${(e as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { error: 'composer.json is not a JSON object' };
  const { name, require } = json as { name?: unknown; require?: unknown };
  const dependencies: Dependency[] = [];
  if (typeof require === 'object' && require !== null) {
    for (const pkg of Object.keys(require)) {
      const evidence = lineEvidence(file, text, new RegExp(`"${escape(pkg)}"\\s*:`));
      if (evidence) dependencies.push({ name: pkg, evidence });
    }
  }
  const evidence = lineEvidence(file, text, /"name"\s*:/) ?? lineEvidence(file, text, /"require"\s*:/);
  return {
    ...(typeof name === 'string' && name !== '' && { name: name.slice(name.lastIndexOf('/') + 1) }),
    ...(evidence && { evidence }),
    dependencies,
  };
});
