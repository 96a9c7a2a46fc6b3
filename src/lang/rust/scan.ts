/**
 * Rust: a service per Cargo.toml with sources (a workspace root without its own is not one). Listed, no recipes yet:
 * the name and evidence are the [package] name line, findings from the [dependencies] table.
 */
import type { Dependency } from '../../repo/manifests/dependency.js';
import type { Evidence } from '../../types/scan.js';
import { listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('rust', [
  packageRule('actix-web', 'framework', ['actix-web']),
  packageRule('axum', 'framework', ['axum']),
  packageRule('rocket', 'framework', ['rocket']),
  packageRule('warp', 'framework', ['warp']),
  packageRule('tonic', 'framework', ['tonic']),
  packageRule('reqwest', 'http', ['reqwest']),
  packageRule('rdkafka', 'queue', ['rdkafka']),
  packageRule('lapin', 'queue', ['lapin']),
  packageRule('sqlx', 'db', ['sqlx']),
  packageRule('diesel', 'db', ['diesel']),
  packageRule('tracing', 'logging', ['tracing', 'log']),
  packageRule('opentelemetry', 'tracing', ['opentelemetry', 'opentelemetry*', 'tracing-opentelemetry']),
]);

export const rustScanner = listedScanner(TABLE, (_kind, file, text) => {
  let section = '';
  let name: string | undefined;
  let evidence: Evidence | undefined;
  const dependencies: Dependency[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      section = header[1]!.trim();
      return;
    }
    const key = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
    if (!key) return;
    const at = { file, line: i + 1, text: line };
    if (section === 'package' && key[1] === 'name') {
      name = /^"([^"]+)"/.exec(key[2]!)?.[1];
      evidence = at;
    } else if (section === 'dependencies' || section === 'workspace.dependencies') {
      dependencies.push({ name: key[1]!, evidence: at });
    }
  });
  return { ...(name !== undefined && { name }), ...(evidence && { evidence }), dependencies };
});
