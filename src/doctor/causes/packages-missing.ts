/**
 * Cause: the code uses OpenTelemetry packages that are not installed, or that the manifest does not declare, so the SDK
 * never starts (or starts without its exporter / instrumentations).
 *
 * - Node: `@opentelemetry/*` imports (and a `--require`/`--import` of one in a start script) that no node_modules folder
 *   resolves from the service folder upwards, as `require` looks them up. With no node_modules anywhere, the imports
 *   package.json does not declare are reported (installing would not bring them).
 * - Python: the distributions behind the `opentelemetry.*` imports, and the distro / OTLP exporter / framework
 *   instrumentation that `opentelemetry-instrument` needs, against requirements*.txt / pyproject.toml / Pipfile (a
 *   declared package brings what it requires) and, when the service folder holds a virtualenv, its installed dist-info.
 * - Go: `go.opentelemetry.io/...` imports whose module go.mod does not require.
 * Runtime (high): the crash or the stderr of the service says so — Cannot find module / ERR_MODULE_NOT_FOUND,
 * ModuleNotFoundError, "no required module provides package", an OTEL_TRACES_EXPORTER entry point not installed.
 *
 * The fix installs exactly the missing packages with the service's package manager through the recipes' code, at the
 * version the manifest declares, else the release train the service already runs (so the fix does not mix trains),
 * else the recipes' pins.
 */
import type { Service } from '../../types/scan.js';
import { commandIfInstalled, note } from '../../plan/proposal-builders.js';
import { inService } from '../../plan/context.js';
import type { Proposal } from '../../types/proposal.js';
import { addPythonPackages, detectPythonManager, installProposals } from '../../lang/python/recipes/package-manager.js';
import { INSTRUMENTATIONS, normalizePackageName, type PythonPackage } from '../../lang/python/recipes/versions.js';
import { goGetProposal } from '../../lang/go/recipes/go-get.js';
import type { CheckContext } from '../../verify/check.js';
import { otelSettings, setting } from '../../source-reading/otel-settings.js';
import { serviceSources } from '../../source-reading/repo-files.js';
import { sdkSetup } from '../../source-reading/sdk-setup.js';
import { evidence } from '../../source-reading/code.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { headOf } from '../finding-helpers.js';
import { crashedOn } from '../packages/crash-lines.js';
import { goModOf, goModuleOf, goPinFor } from '../../lang/go/doctor/modules.js';
import { nodeInstallProposal } from '../../lang/node/doctor/install-proposal.js';
import { nodeFacts, resolveNodePackage, type NodeFacts } from '../../lang/node/doctor/packages.js';
import {
  apiTarget,
  ENDED_AT_2,
  pinsForService,
  serviceTrain,
  trainOf,
  type NodePins,
} from '../../lang/node/doctor/release-trains.js';
import { planContextOf } from '../packages/plan-context.js';
import {
  exporterPackage,
  pythonDistOf,
  pythonProvides,
  pythonVersionFor,
} from '../../lang/python/doctor/distributions.js';
import { pythonFacts, type PythonFacts } from '../../lang/python/doctor/packages.js';
import { satisfies, versionText } from '../packages/semver-range.js';
import { serviceDir } from '../packages/service-paths.js';

const ID = 'otel-packages-missing' as const;

// ─── Node ────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The version to install a missing package at (see the file comment); undefined installs the latest. */
function nodeVersionFor(ctx: CheckContext, facts: NodeFacts, pins: NodePins, name: string): string | undefined {
  const declared = facts.declared.get(name);
  if (declared && satisfies('0.0.0', declared.spec) !== undefined) return declared.spec;
  if (name === '@opentelemetry/api') return apiTarget(ctx, facts, pins);
  const train = trainOf(name, undefined);
  if (train === 'experimental' || train === 'stable') {
    const own = serviceTrain(facts, train);
    if (own) return versionText(own);
  }
  const pinned = (pins as Record<string, string>)[name];
  if (pinned) return pinned;
  if (train === 'experimental') return pins['@opentelemetry/sdk-node'];
  if (train === 'stable' && !ENDED_AT_2.has(name)) return pins['@opentelemetry/resources'];
  return undefined;
}

async function nodeFindings(
  ctx: CheckContext,
  service: Service,
  crashed: Map<string, string>,
): Promise<Finding | undefined> {
  const facts = await nodeFacts(ctx, service);
  const missing = new Map<string, DoctorEvidence[]>();
  const add = (name: string, e: DoctorEvidence) => missing.set(name, [...(missing.get(name) ?? []), e]);
  for (const [name, at] of facts.imports) {
    if (facts.installed.has(name) || resolveNodePackage(ctx.root, serviceDir(ctx, service), name)) continue;
    const declared = facts.declared.get(name);
    if (!facts.nodeModules && declared && !crashed.has(name)) continue;
    add(name, {
      ...at,
      note: `${name} is imported here, ${declared ? `declared (${declared.spec}) but` : 'not declared in package.json and'} not installed: no node_modules/${name} from ${service.root === '.' ? 'the repo root' : `${service.root}/`} upwards`,
    });
  }
  for (const [name, line] of crashed) add(name, { note: `the service crashed at start: ${line}` });
  if (missing.size === 0) return undefined;
  const names = [...missing.keys()];
  const pins = await pinsForService(ctx, service);
  const specs = names.map((n) => {
    const v = nodeVersionFor(ctx, facts, pins, n);
    return v ? `${n}@${v}` : n;
  });
  const proposal = await nodeInstallProposal(
    ctx,
    service,
    facts,
    ID,
    `Install ${names.join(', ')} in ${service.name}`,
    'the code loads these OpenTelemetry packages but they are not installed',
    specs,
  );
  const high = crashed.size > 0;
  return {
    cause: ID,
    service: service.id,
    summary: `${service.name}: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} imported but not installed, so ${high ? 'the service crashes at start' : 'the SDK set-up cannot load'} and no span is sent`,
    evidence: [...missing.values()].flat(),
    confidence: high ? 'high' : 'medium',
    proposals: [proposal],
  };
}

// ─── Python ──────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The trace exporters a Python set-up chooses between by protocol. */
const OTLP_EXPORTERS = new Set(['opentelemetry-exporter-otlp-proto-grpc', 'opentelemetry-exporter-otlp-proto-http']);

interface PythonNeed {
  key: string;
  evidence: DoctorEvidence;
}

async function pythonNeeds(ctx: CheckContext, service: Service): Promise<PythonNeed[]> {
  const needs: PythonNeed[] = [];
  const need = (key: string, e: DoctorEvidence) => {
    if (!needs.some((n) => n.key === key)) needs.push({ key, evidence: e });
  };
  for (const f of await serviceSources(ctx, service)) {
    for (const m of f.code.matchAll(
      /^\s*(?:from\s+(opentelemetry(?:\.\w+)*)\s+import\s+([\w, ()]+)|import\s+(opentelemetry(?:\.\w+)*))/gm,
    )) {
      let module = m[1] ?? m[3]!;
      // `from opentelemetry.instrumentation import flask` style imports name the submodule after `import`.
      if (m[1] && /^opentelemetry(?:\.instrumentation|\.exporter)?$/.test(m[1])) {
        const first = m[2]!.replace(/[()\s]/g, '').split(',')[0];
        if (first && /^[a-z_]+$/.test(first) && m[1] !== 'opentelemetry') module = `${m[1]}.${first}`;
      }
      const dist = pythonDistOf(module);
      const at = evidence(f, m.index + m[0].search(/\S/));
      if (dist) need(dist, { ...at, note: `imports ${module} (from ${dist})` });
    }
  }
  const setup = await sdkSetup(ctx, service);
  if (setup.agentStart) {
    const at = setup.agentStart.evidence;
    need('opentelemetry-distro', {
      ...at,
      note: 'started with opentelemetry-instrument, which needs opentelemetry-distro to configure the SDK',
    });
    const settings = await otelSettings(ctx, service);
    const exporters = setting(settings, 'OTEL_TRACES_EXPORTER')?.value ?? 'otlp';
    const protocol = (
      setting(settings, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? setting(settings, 'OTEL_EXPORTER_OTLP_PROTOCOL')
    )?.value;
    for (const name of exporters.split(',').map((e) => e.trim())) {
      const pkg = exporterPackage(name, protocol);
      if (pkg)
        need(pkg, {
          ...at,
          note: `opentelemetry-instrument exports with OTEL_TRACES_EXPORTER=${name}${protocol ? ` over ${protocol}` : ''}, from ${pkg}`,
        });
    }
    for (const fw of service.frameworks) {
      const pkg = INSTRUMENTATIONS[fw.name];
      if (pkg)
        need(normalizePackageName(pkg.name), {
          ...fw.evidence,
          note: `opentelemetry-instrument instruments ${fw.name} only when ${pkg.name} is installed`,
        });
    }
  }
  return needs;
}

async function pythonProposals(
  ctx: CheckContext,
  service: Service,
  facts: PythonFacts,
  undeclared: string[],
  uninstalled: string[],
): Promise<Proposal[]> {
  const pctx = planContextOf(ctx);
  const detection = await detectPythonManager(pctx, service);
  const head = headOf(
    ID,
    service,
    `Add ${undeclared.join(', ')} to ${service.name}`,
    'the code needs these OpenTelemetry packages and the manifest does not list them',
    'auto-instrumentation',
  );
  const pkgs: PythonPackage[] = undeclared.map((key) => ({ name: key, version: pythonVersionFor(facts, key) }));
  const out: Proposal[] = [];
  if (!detection.ok) {
    const list = [...undeclared, ...uninstalled].map((k) => `${k}==${pythonVersionFor(facts, k)}`).join(' ');
    return [
      note(
        { ...head, title: `Install the OpenTelemetry packages of ${service.name}` },
        `${detection.reason} Install: ${list}`,
      ),
    ];
  }
  if (pkgs.length > 0) out.push(...(await addPythonPackages(pctx, service, detection.manager, pkgs, head)));
  if (uninstalled.length > 0 && pkgs.length === 0) {
    // Into the project's environment (or a new .venv), never the machine's Python: see recipes/python/python-env.ts.
    const installHead = headOf(
      ID,
      service,
      `Install the declared packages of ${service.name}`,
      `${uninstalled.join(', ')} ${uninstalled.length === 1 ? 'is' : 'are'} declared in ${detection.manager.manifest} but not installed${facts.venv ? ` in ${facts.venv}` : ''}`,
      'auto-instrumentation',
    );
    out.push(
      ...(await installProposals(
        pctx,
        service,
        detection.manager,
        installHead,
        [],
        `the declared packages of ${service.name}`,
      )),
    );
  }
  return out;
}

async function pythonFindings(
  ctx: CheckContext,
  service: Service,
  crashed: Map<string, string>,
): Promise<Finding | undefined> {
  const facts = await pythonFacts(ctx, service);
  const provided = new Set([...facts.declared.values()].flatMap((d) => pythonProvides(d.key, d.extras)));
  const ev: DoctorEvidence[] = [];
  const undeclared: string[] = [];
  const uninstalled: string[] = [];
  const needs = await pythonNeeds(ctx, service);
  for (const [key] of crashed)
    if (!needs.some((n) => n.key === key)) needs.push({ key, evidence: { note: `${key} is needed at start` } });
  const present = (key: string) =>
    provided.has(key) && (facts.installed ? facts.installed.has(key) : true) && !crashed.has(key);
  // A set-up importing both OTLP exporters picks one by OTEL_EXPORTER_OTLP_PROTOCOL: either one present is enough.
  const exporters = needs.filter((n) => OTLP_EXPORTERS.has(n.key));
  const exporterPresent = exporters.length > 1 && exporters.some((n) => present(n.key));
  for (const n of needs) {
    const isDeclared = provided.has(n.key);
    const isInstalled = facts.installed ? facts.installed.has(n.key) : undefined;
    if (present(n.key)) continue;
    if (exporterPresent && OTLP_EXPORTERS.has(n.key) && !crashed.has(n.key)) continue;
    if (!isDeclared) undeclared.push(n.key);
    else uninstalled.push(n.key);
    ev.push({
      ...n.evidence,
      note: `${n.evidence.note}; ${isDeclared ? 'declared' : 'not declared in requirements / pyproject / Pipfile'}${isInstalled === false ? ` and not installed in ${facts.venv}` : ''}`,
    });
  }
  for (const [key, line] of crashed) ev.push({ note: `${key}: ${line}` });
  if (undeclared.length + uninstalled.length === 0) return undefined;
  const names = [...undeclared, ...uninstalled];
  const high = crashed.size > 0;
  return {
    cause: ID,
    service: service.id,
    summary: `${service.name}: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} needed by the OpenTelemetry set-up but ${undeclared.length > 0 ? 'not declared' : 'not installed'}, so ${high ? 'it fails at start' : 'no span would be exported'}`,
    evidence: ev,
    confidence: high ? 'high' : 'medium',
    proposals: await pythonProposals(ctx, service, facts, undeclared, uninstalled),
  };
}

// ─── Go ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function goFindings(
  ctx: CheckContext,
  service: Service,
  crashed: Map<string, string>,
): Promise<Finding | undefined> {
  const gomod = await goModOf(ctx, service);
  if (!gomod) return undefined;
  const missing = new Map<string, DoctorEvidence[]>();
  for (const f of await serviceSources(ctx, service)) {
    for (const m of f.code.matchAll(/"(go\.opentelemetry\.io\/[^"\s]+)"/g)) {
      const module = goModuleOf(m[1]!, gomod.mod.requires);
      if (!module || gomod.mod.requires.has(module)) continue;
      const at = evidence(f, m.index);
      if (!missing.has(module))
        missing.set(module, [
          { ...at, note: `imports ${m[1]}, in module ${module}, which ${gomod.file} does not require` },
        ]);
    }
  }
  for (const [pkg, line] of crashed) {
    const module = goModuleOf(pkg, gomod.mod.requires) ?? pkg;
    missing.set(module, [...(missing.get(module) ?? []), { note: `the service failed at start: ${line}` }]);
  }
  if (missing.size === 0) return undefined;
  const modules = [...missing.keys()];
  const pins = modules.map((m) => goPinFor(gomod.mod, m));
  const proposal = await goGetProposal(
    planContextOf(ctx),
    service,
    headOf(
      ID,
      service,
      `Require ${modules.join(', ')} in ${gomod.file}`,
      'the code imports these OpenTelemetry modules and go.mod does not require them',
      'auto-instrumentation',
    ),
    pins,
  );
  const high = crashed.size > 0;
  return {
    cause: ID,
    service: service.id,
    summary: `${service.name}: go.mod does not require ${modules.join(', ')}, imported by the OpenTelemetry set-up, so ${high ? 'the build fails' : 'the service does not build'} and no span is sent`,
    evidence: [...missing.values()].flat(),
    confidence: high ? 'high' : 'medium',
    proposals: [proposal],
  };
}

// ─── the cause ───────────────────────────────────────────────────────────────────────────────────────────────────────

async function findingsFor(
  ctx: CheckContext,
  service: Service,
  crashed: Map<string, string>,
): Promise<Finding | undefined> {
  if (service.language === 'node') return nodeFindings(ctx, service, crashed);
  if (service.language === 'python') return pythonFindings(ctx, service, crashed);
  if (service.language === 'go') return goFindings(ctx, service, crashed);
  return undefined;
}

export const packagesMissingCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const f = await findingsFor(ctx, service, new Map());
      if (f) out.push(f);
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const crashed = await crashedOn(ctx, run, service);
      if (crashed.size === 0) continue;
      const f = await findingsFor(ctx, service, crashed);
      if (!f) continue;
      // fromRepo already gave the static evidence: add only what the run shows (merged into one finding).
      const seen = new Set((await findingsFor(ctx, service, new Map()))?.evidence.map((e) => JSON.stringify(e)) ?? []);
      out.push({ ...f, evidence: f.evidence.filter((e) => !seen.has(JSON.stringify(e))) });
    }
    return out;
  },
};
