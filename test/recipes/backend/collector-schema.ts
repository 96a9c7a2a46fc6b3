/**
 * The structure of an OpenTelemetry Collector configuration, as far as the recipes write it: receivers, processors,
 * exporters (and optional connectors/extensions) and service.pipelines whose entries reference defined components.
 */
import { z } from 'zod';

const ComponentId = z.string().regex(/^[a-z][a-z0-9_]*(\/[\w.-]+)?$/);
const Components = z.record(ComponentId, z.union([z.null(), z.object({}).passthrough()]));

const Pipeline = z
  .object({
    receivers: z.array(ComponentId).min(1),
    processors: z.array(ComponentId).optional(),
    exporters: z.array(ComponentId).min(1),
  })
  .strict();

export const CollectorConfigSchema = z
  .object({
    receivers: Components,
    processors: Components.optional(),
    exporters: Components,
    connectors: Components.optional(),
    extensions: Components.optional(),
    service: z
      .object({
        extensions: z.array(ComponentId).optional(),
        pipelines: z.record(z.string().regex(/^(traces|metrics|logs)(\/[\w.-]+)?$/), Pipeline),
        telemetry: z.object({}).passthrough().optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, issue) => {
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      const check = (kind: 'receivers' | 'processors' | 'exporters', defined: Record<string, unknown> | undefined) => {
        for (const id of pipeline[kind] ?? []) {
          if (!defined || !(id in defined))
            issue.addIssue({
              code: 'custom',
              message: `pipeline ${name} uses ${kind.slice(0, -1)} ${id}, which is not defined`,
            });
        }
      };
      check('receivers', config.receivers);
      check('processors', config.processors);
      check('exporters', config.exporters);
    }
  });
export type CollectorConfig = z.infer<typeof CollectorConfigSchema>;
