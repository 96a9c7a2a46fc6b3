import type { PlanContext } from '../../context.js';
import { COMPOSE_FILE_NAMES } from '../../../yaml/compose-merge.js';

/** Folder (repo-relative) for the backend's configuration files, next to the compose file at the repo root. */
export const CONFIG_DIR = 'observability';

export const PATHS = {
  tempo: `${CONFIG_DIR}/tempo.yaml`,
  tempoS3: `${CONFIG_DIR}/tempo.s3.yaml`,
  prometheus: `${CONFIG_DIR}/prometheus.yml`,
  datasources: `${CONFIG_DIR}/grafana/provisioning/datasources/datasources.yaml`,
  collector: `${CONFIG_DIR}/otel-collector.yaml`,
  collectorLoadbalancing: `${CONFIG_DIR}/otel-collector.loadbalancing.yaml`,
  /** Where a compose file is created when the repo has none. */
  newCompose: 'compose.yaml',
} as const;

export interface ComposeFile {
  path: string;
  text: string;
}

/** The compose file at the repo root, in Compose's own order of preference. */
export async function findComposeFile(ctx: PlanContext): Promise<ComposeFile | undefined> {
  for (const name of COMPOSE_FILE_NAMES) {
    const text = await ctx.repo.read(name);
    if (text !== undefined) return { path: name, text };
  }
  return undefined;
}

/** Host ports the repo's own services listen on (from the scan), so a new container does not publish over them. */
export function servicePorts(ctx: PlanContext): Map<number, string> {
  const out = new Map<number, string>();
  for (const service of ctx.scan.services) {
    if (service.port) out.set(service.port.value, `the ${service.name} service (port ${service.port.value})`);
  }
  return out;
}
