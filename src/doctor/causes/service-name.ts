/** service.name missing: spans arrive as unknown_service:… — runtime. Fix: an OTEL_SERVICE_NAME default in the setup. */
import { editFile } from '../../plan/build.js';
import type { Proposal } from '../../plan/proposal.js';
import type { Service } from '../../repo/scan-schema.js';
import { sdkSetup } from '../../verify/checks/static/support/sdk-setup.js';
import type { Cause, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../util.js';

const ID = 'service-name-missing' as const;

export const serviceNameCause: Cause = {
  id: ID,
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const probes = run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined);
      const hits = probes.flatMap((p) => spansDuring(run, p).filter((s) => (s.serviceName ?? 'unknown_service').startsWith('unknown_service')).slice(0, 1).map((s) => ({ p, s })));
      if (hits.length === 0) continue;
      const { p, s } = hits[0]!;
      const setup = await sdkSetup(ctx, service);
      const file = setup.setupFiles[0];
      let proposals: Proposal[] = [];
      if (file) {
        const first = file.text.split('\n').find((l) => l.trim() !== '' && !/^\s*(['"])use strict\1;?\s*$/.test(l) && !l.startsWith('#!'));
        if (first && file.text.split(first).length === 2) {
          const line = /^\s*import\s/.test(first) ? undefined : `process.env.OTEL_SERVICE_NAME ??= ${JSON.stringify(service.name)};`;
          const edits = line ? [{ old: first, new: `${line}\n${first}` }] : [{ old: first, new: `${first}\nprocess.env.OTEL_SERVICE_NAME ??= ${JSON.stringify(service.name)};` }];
          proposals = [
            editFile(headOf(ID, service, `Name ${service.name} in its traces`, 'without service.name every span is reported as unknown_service', 'auto-instrumentation'), file.path, edits),
          ];
        }
      }
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: the SDK's resource has no service.name, so its spans arrive as ${s.serviceName ?? 'unknown_service'}`,
        evidence: [
          { note: `${describeProbe(p)}: span "${s.name}" arrived with service.name=${s.serviceName ?? '(none)'}` },
          ...(file ? [{ file: file.path, line: 1, note: 'the SDK set-up, where no service name is given (neither OTEL_SERVICE_NAME nor a service.name resource attribute took effect)' }] : []),
        ],
        confidence: 'high',
        proposals,
      });
    }
    return out;
  },
};
