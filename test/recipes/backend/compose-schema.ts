/**
 * The subset of the Compose specification the backend recipes write, as a zod schema: services with image, command,
 * ports, volumes, environment, depends_on, user, restart; named volumes; and no top-level `version:` (obsolete).
 */
import { z } from 'zod';

const PortShort = z
  .string()
  .regex(/^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
const PortLong = z.object({
  target: z.number().int(),
  published: z.union([z.number().int(), z.string()]).optional(),
  host_ip: z.string().optional(),
  protocol: z.enum(['tcp', 'udp']).optional(),
});
const StringOrList = z.union([z.string(), z.array(z.string())]);

export const ComposeServiceSchema = z
  .object({
    image: z.string().regex(/^[\w./-]+(:[\w.-]+)?$/, 'image with an explicit tag'),
    command: StringOrList.optional(),
    entrypoint: StringOrList.optional(),
    user: z.string().optional(),
    restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
    ports: z.array(z.union([PortShort, z.number().int(), PortLong])).optional(),
    volumes: z.array(z.string().regex(/^[^:]+:\/[^:]*(:(ro|rw))?$/)).optional(),
    environment: z
      .union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])), z.array(z.string())])
      .optional(),
    depends_on: z
      .union([
        z.array(z.string()),
        z.record(
          z.string(),
          z.object({ condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']) }),
        ),
      ])
      .optional(),
  })
  .strict();

export const ComposeFileSchema = z
  .object({
    services: z.record(z.string().regex(/^[a-zA-Z0-9._-]+$/), ComposeServiceSchema),
    volumes: z.record(z.string(), z.union([z.null(), z.object({}).passthrough()])).optional(),
  })
  .strict()
  .superRefine((file, issue) => {
    const names = new Set(Object.keys(file.services));
    const volumes = new Set(Object.keys(file.volumes ?? {}));
    for (const [name, service] of Object.entries(file.services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps)
        if (!names.has(dep)) issue.addIssue({ code: 'custom', message: `${name} depends on unknown service ${dep}` });
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/') && !volumes.has(source)) {
          issue.addIssue({ code: 'custom', message: `${name} uses undeclared named volume ${source}` });
        }
      }
    }
  });
export type ComposeFile = z.infer<typeof ComposeFileSchema>;

/** Host ports published by a validated compose file, with the service that publishes each (duplicates fail). */
export function hostPorts(file: ComposeFile): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, service] of Object.entries(file.services)) {
    for (const entry of service.ports ?? []) {
      if (typeof entry !== 'string') continue;
      const parts = entry.split('/')[0]!.split(':');
      if (parts.length < 2) continue;
      const host = Number(parts[parts.length - 2]);
      if (out.has(host)) throw new Error(`host port ${host} published twice (${out.get(host)} and ${name})`);
      out.set(host, name);
    }
  }
  return out;
}
