/**
 * Where OpenTelemetry semantic-convention attributes belong in OTLP, as data for RES-004: keys that describe the
 * producing entity belong on the resource; keys that describe one operation belong on the span (or log record).
 * Only well-established names are listed (a key matches an exact name, or a namespace ending in '.').
 */
export const RESOURCE_LEVEL_KEYS: readonly string[] = [
  'service.name',
  'service.version',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'telemetry.sdk.',
  'telemetry.distro.',
  'host.',
  'os.',
  'container.',
  'k8s.',
  'cloud.',
  'process.pid',
  'process.runtime.',
  'process.executable.',
  'process.command',
  'process.command_args',
  'process.command_line',
  'process.owner',
];

export const SPAN_LEVEL_KEYS: readonly string[] = [
  'http.request.',
  'http.response.',
  'http.route',
  'http.method',
  'http.status_code',
  'http.target',
  'http.url',
  'url.',
  'db.',
  'rpc.',
  'messaging.',
  'server.address',
  'server.port',
  'client.address',
  'client.port',
  'network.peer.',
  'user_agent.original',
  'exception.',
];

export function matchesKey(key: string, entries: readonly string[]): boolean {
  return entries.some((entry) => (entry.endsWith('.') ? key.startsWith(entry) : key === entry));
}
