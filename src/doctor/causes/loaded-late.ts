/**
 * Cause 1 (Node): the instrumentation is loaded after the modules it patches — the entry requires express / http
 * before the SDK set-up, and the start script has no --require / --import. Static from the code. What really happens
 * (checked with sdk-node 0.300 + instrumentation-http/-express and express 5): express requires node:http as it loads,
 * and neither is patched afterwards, so the probed requests make no span at all — no http SERVER span, no express span
 * (the SDK's "Module express has been loaded before …" warning is not printed for CommonJS apps: it looks for
 * `globalThis.require`, which they do not have). At runtime: with that static evidence, a probed request without a SERVER
 * span confirms it (high); without it, other spans arriving without any SERVER span while the set-up registers the http
 * instrumentation (medium) — unless the ESM-hook or bundling causes explain the service.
 */
import { editFile } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import type { Service } from '../../types/scan.js';
import { inService } from '../../plan/context.js';
import type { CheckContext } from '../../verify/check.js';
import { sdkSetup } from '../../source-reading/sdk-setup.js';
import { evidence } from '../../source-reading/code.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';
import {
  bundledServices,
  importedLibraries,
  missingScopes,
  registeredFor,
  registersHttp,
  runtimeEvidence,
} from './bundled-code.js';
import { esmWithoutHook } from './esm-without-hook.js';

const ID = 'instrumentation-loaded-late' as const;
const FRAMEWORK =
  /(?:require\s*\(\s*|from\s+|import\s+)['"](?:node:)?(express|http|https|fastify|koa|@nestjs\/core|@hapi\/hapi)['"]/;

function relativeSpecifier(service: Service, file: string): string {
  const root = service.root === '.' ? '' : `${service.root}/`;
  return `./${file.startsWith(root) ? file.slice(root.length) : file}`;
}

interface LoadedLate {
  service: Service;
  framework: string;
  evidence: DoctorEvidence[];
  proposals: Proposal[];
  /** The instrumented per-request frameworks the set-up registers (their spans are expected too). */
  frameworks: string[];
  http: boolean;
}

/** The Node services whose entry loads a framework before the SDK set-up, with no --require / --import. */
async function loadedLate(ctx: CheckContext): Promise<LoadedLate[]> {
  const out: LoadedLate[] = [];
  for (const service of ctx.services.filter((s) => s.language === 'node')) {
    const setup = await sdkSetup(ctx, service);
    if (setup.agentStart) continue;
    const setupFile = setup.setupFiles[0];
    if (!setupFile) continue;
    const start = setup.starts.find((s) => /\bnode\b/.test(s.command));
    if (start && /(?:--require|-r|--import)[=\s]/.test(start.command)) continue;
    const base = setupFile.path.replace(/^.*\//, '').replace(/\.[cm]?[jt]s$/, '');
    const loads = new RegExp(
      `(?:require\\s*\\(\\s*|from\\s+|import\\s+)['"]\\.{1,2}/(?:[\\w./-]*/)?${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.[cm]?[jt]s)?['"]`,
    );
    for (const f of setup.files) {
      if (f.path === setupFile.path) continue;
      const load = loads.exec(f.code);
      const fw = FRAMEWORK.exec(f.code);
      if (!load || !fw || fw.index > load.index) continue;
      const fwAt = evidence(f, fw.index);
      const loadAt = evidence(f, load.index);
      const ev: DoctorEvidence[] = [
        {
          file: fwAt.file,
          line: fwAt.line,
          ...(fwAt.text ? { text: fwAt.text } : {}),
          note: `${fw[1]} is loaded here, before the SDK set-up`,
        },
        {
          file: loadAt.file,
          line: loadAt.line,
          ...(loadAt.text ? { text: loadAt.text } : {}),
          note: `the SDK set-up (${setupFile.path}) is loaded only here`,
        },
      ];
      if (start)
        ev.push({
          file: start.evidence.file,
          line: start.evidence.line,
          ...(start.evidence.text ? { text: start.evidence.text } : {}),
          note: `started with \`${start.command}\`, without --require / --import`,
        });
      const proposals: Proposal[] = [];
      if (start && start.evidence.file.endsWith('package.json') && /\bnode\s+/.test(start.command)) {
        const flag = service.moduleSystem === 'esm' ? '--import' : '--require';
        const fixed = start.command.replace(/\bnode\s+/, `node ${flag} ${relativeSpecifier(service, setupFile.path)} `);
        proposals.push(
          editFile(
            headOf(
              ID,
              service,
              `Load the SDK before anything else in ${service.name}`,
              `${fw[1]} is required before the SDK set-up, so it is never patched`,
              'auto-instrumentation',
            ),
            inService(service, 'package.json'),
            [{ old: JSON.stringify(start.command), new: JSON.stringify(fixed) }],
          ),
        );
      }
      const imports = importedLibraries(setup.files).map((i) => i.name);
      out.push({
        service,
        framework: fw[1]!,
        evidence: ev,
        proposals,
        frameworks: registeredFor(setup.files, setup.starts, imports),
        http: registersHttp(setup.files, setup.starts),
      });
      break;
    }
  }
  return out;
}

export const loadedLateCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    return (await loadedLate(ctx)).map((l) => ({
      cause: ID,
      service: l.service.id,
      summary: `${l.service.name}: ${l.framework} is loaded before the OpenTelemetry set-up, so its requests are never instrumented (no SERVER spans)`,
      evidence: l.evidence,
      confidence: 'medium' as const,
      proposals: l.proposals,
    }));
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    const late = await loadedLate(ctx);
    for (const l of late) {
      // A framework loaded late takes node:http with it: expect the SERVER span even when only express is instrumented.
      const missing = missingScopes(run, l.service, l.frameworks, true);
      if (missing.length === 0) continue;
      const lost = [...new Set(missing.flatMap((m) => m.missing))];
      out.push({
        cause: ID,
        service: l.service.id,
        summary: `${l.service.name}: ${l.framework} is loaded before the OpenTelemetry set-up — the probed requests made no span from ${lost.join(', ')}`,
        evidence: runtimeEvidence(missing), // merged with the static finding's evidence
        confidence: 'high',
        proposals: l.proposals,
      });
    }
    const explained = new Set([
      ...late.map((l) => l.service.id),
      ...(await esmWithoutHook(ctx)).map((s) => s.service.id),
      ...(await bundledServices(ctx)).map((b) => b.service.id),
    ]);
    for (const service of ctx.services.filter((s) => s.language === 'node' && !explained.has(s.id))) {
      const probes = run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined);
      if (probes.length === 0) continue;
      const spans = probes.flatMap((p) => spansDuring(run, p));
      if (spans.length === 0 || spans.some((s) => s.kind === 'server')) continue;
      // Only when an http instrumentation is meant to make the SERVER spans (hand-made tracing makes its own).
      const setup = await sdkSetup(ctx, service);
      if (!registersHttp(setup.files, setup.starts)) continue;
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: its requests make no SERVER span while other spans arrive — the HTTP instrumentation is not applied (loaded too late)`,
        evidence: probes.slice(0, 3).map((p) => ({
          note: `${describeProbe(p)}: ${spansDuring(run, p)
            .map((s) => `${s.kind} "${s.name}"`)
            .join(', ')} arrived, no SERVER span`,
        })),
        confidence: 'medium',
        proposals: [],
      });
    }
    return out;
  },
};
