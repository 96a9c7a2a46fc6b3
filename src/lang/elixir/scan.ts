/**
 * Elixir: a service per mix.exs with sources (an umbrella root without its own is not one). Listed, no recipes yet: the
 * name and evidence are the `app:` line of the project, findings from `{:dep, …}` entries.
 */
import { dependencyLines, lineEvidence, listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('elixir', [
  packageRule('phoenix', 'framework', ['phoenix']),
  packageRule('plug', 'framework', ['plug_cowboy', 'bandit']),
  packageRule('finch', 'http', ['finch', 'req', 'tesla', 'httpoison']),
  packageRule('broadway', 'queue', ['broadway', 'broadway_kafka', 'broadway_rabbitmq']),
  packageRule('ecto', 'db', ['ecto_sql', 'ecto', 'postgrex']),
  packageRule('opentelemetry', 'tracing', ['opentelemetry', 'opentelemetry_*']),
]);

export const elixirScanner = listedScanner(TABLE, (_kind, file, text) => {
  const evidence = lineEvidence(file, text, /\bapp:\s*:\w+/);
  const name = evidence && /\bapp:\s*:(\w+)/.exec(evidence.text ?? '')?.[1];
  return {
    ...(name && { name }),
    ...(evidence && { evidence }),
    dependencies: dependencyLines(file, text, /\{\s*:(\w+)\s*,/g),
  };
});
