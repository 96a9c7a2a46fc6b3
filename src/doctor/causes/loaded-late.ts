/**
 * Cause 1 (Node): the instrumentation is loaded after the modules it patches — the entry requires express / http
 * before the SDK set-up, and the start script has no --require / --import. Static from the code; at runtime: the
 * service is probed, other spans arrive, but no SERVER span.
 */
import { editFile } from '../../plan/build.js';
import type { Service } from '../../repo/scan-schema.js';
import { inService } from '../../plan/context.js';
import { sdkSetup } from '../../verify/checks/static/support/sdk-setup.js';
import { evidence } from '../../verify/checks/static/support/code.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../util.js';

const ID = 'instrumentation-loaded-late' as const;
const FRAMEWORK = /(?:require\s*\(\s*|from\s+|import\s+)['"](?:node:)?(express|http|https|fastify|koa|@nestjs\/core|@hapi\/hapi)['"]/;

function relativeSpecifier(service: Service, file: string): string {
  const root = service.root === '.' ? '' : `${service.root}/`;
  return `./${file.startsWith(root) ? file.slice(root.length) : file}`;
}

export const loadedLateCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services.filter((s) => s.language === 'node')) {
      const setup = await sdkSetup(ctx, service);
      if (setup.agentStart) continue;
      const setupFile = setup.setupFiles[0];
      if (!setupFile) continue;
      const start = setup.starts.find((s) => /\bnode\b/.test(s.command));
      if (start && /(?:--require|-r|--import)[=\s]/.test(start.command)) continue;
      const base = setupFile.path.replace(/^.*\//, '').replace(/\.[cm]?[jt]s$/, '');
      const loads = new RegExp(`(?:require\\s*\\(\\s*|from\\s+|import\\s+)['"]\\.{1,2}/(?:[\\w./-]*/)?${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.[cm]?[jt]s)?['"]`);
      for (const f of setup.files) {
        if (f.path === setupFile.path) continue;
        const load = loads.exec(f.code);
        const fw = FRAMEWORK.exec(f.code);
        if (!load || !fw || fw.index > load.index) continue;
        const fwAt = evidence(f, fw.index);
        const loadAt = evidence(f, load.index);
        const ev: DoctorEvidence[] = [
          { file: fwAt.file, line: fwAt.line, ...(fwAt.text ? { text: fwAt.text } : {}), note: `${fw[1]} is loaded here, before the SDK set-up` },
          { file: loadAt.file, line: loadAt.line, ...(loadAt.text ? { text: loadAt.text } : {}), note: `the SDK set-up (${setupFile.path}) is loaded only here` },
        ];
        if (start) ev.push({ file: start.evidence.file, line: start.evidence.line, ...(start.evidence.text ? { text: start.evidence.text } : {}), note: `started with \`${start.command}\`, without --require / --import` });
        const proposals = [];
        if (start && start.evidence.file.endsWith('package.json') && /\bnode\s+/.test(start.command)) {
          const flag = service.moduleSystem === 'esm' ? '--import' : '--require';
          const fixed = start.command.replace(/\bnode\s+/, `node ${flag} ${relativeSpecifier(service, setupFile.path)} `);
          proposals.push(
            editFile(
              headOf(ID, service, `Load the SDK before anything else in ${service.name}`, `${fw[1]} is required before the SDK set-up, so it is never patched`, 'auto-instrumentation'),
              inService(service, 'package.json'),
              [{ old: JSON.stringify(start.command), new: JSON.stringify(fixed) }],
            ),
          );
        }
        out.push({
          cause: ID,
          service: service.id,
          summary: `${service.name}: ${fw[1]} is loaded before the OpenTelemetry set-up, so its requests are never instrumented (no SERVER spans)`,
          evidence: ev,
          confidence: 'medium',
          proposals,
        });
        break;
      }
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services.filter((s) => s.language === 'node')) {
      const probes = run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined);
      if (probes.length === 0) continue;
      const spans = probes.flatMap((p) => spansDuring(run, p));
      if (spans.length === 0 || spans.some((s) => s.kind === 'server')) continue;
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: its requests make no SERVER span while other spans arrive — the HTTP instrumentation is not applied (loaded too late)`,
        evidence: probes.slice(0, 3).map((p) => ({ note: `${describeProbe(p)}: ${spansDuring(run, p).map((s) => `${s.kind} "${s.name}"`).join(', ')} arrived, no SERVER span` })),
        confidence: 'medium',
        proposals: [],
      });
    }
    return out;
  },
};
