/**
 * Cause: the OpenTelemetry SDK and its instrumentations / exporters are from releases that do not go together.
 *
 * - Node: the 0.x packages of the opentelemetry-js repo (sdk-node, exporters, instrumentation, otlp-*) are one release
 *   train and must share their 0.N; its stable packages (core, resources, sdk-trace-*) one major; an installed package's
 *   range on a 0.x package (auto-instrumentations-node's on sdk-node / instrumentation) must hold for the service's copy;
 *   and every installed SDK package's peer range on @opentelemetry/api must accept the service's api — otherwise the
 *   service's api rejects the provider the SDK registers through its own copy and hands out no-op tracers (spans are
 *   dropped without a word). Versions from node_modules beat the ranges declared in package.json.
 * - Python: opentelemetry-sdk 1.N.M requires opentelemetry-api==1.N.M and semantic-conventions==0.(N+21)bM, and every
 *   contrib package 0.KbM (distro, instrumentation-*) requires instrumentation / semantic-conventions ==0.KbM — checked
 *   in the Requires-Dist of sdk 1.27.0, 1.39.1, 1.42.1, 1.45.1 and instrumentation-flask 0.60b0, 0.66b1 on PyPI — so
 *   the contrib packages must all be exactly 0.(N+21)bM. Pins from requirements / pyproject / Pipfile, installed dist-info
 *   beating them when the service folder has a virtualenv.
 * - Go: go.opentelemetry.io/otel, /sdk, /trace and the OTLP exporters (the v1 modules) are released together and must be
 *   one version; a contrib instrumentation v0.N is built against otel v1.(N-25) (the pairs in the recipes'
 *   otel-releases.ts) and needs at least that.
 * Static: medium. High when the versions are the installed ones and the run shows the service failing or sending nothing.
 * The fix is one command aligning the versions to the recipes' pins (or, when the service uses packages that have no
 * release at the recipes' pins, to the newest release it already has).
 */
import type { Service } from '../../types/scan.js';
import { commandIfInstalled, editFile, note } from '../../plan/proposal-builders.js';
import { inService } from '../../plan/context.js';
import type { Proposal } from '../../types/proposal.js';
import {
  detectPythonManager,
  INSTALL as PYTHON_INSTALL,
  installProposals,
} from '../../lang/python/recipes/package-manager.js';
import { OTEL_CONTRIB_VERSION, OTEL_SDK_VERSION } from '../../lang/python/recipes/versions.js';
import { goGetProposal, type ModulePin } from '../../lang/go/recipes/go-get.js';
import { compareModuleVersions } from '../../lang/go/recipes/go-mod.js';
import { MODULES, OTELECHO_VERSION, OTELGIN_VERSION, otelReleaseFor } from '../../lang/go/recipes/otel-releases.js';
import type { CheckContext } from '../../verify/check.js';
import type { RuntimeRun } from '../../verify/runtime/runtime-run.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { describeProbe, headOf, spansDuring } from '../finding-helpers.js';
import { goModOf, requireEvidence } from '../../lang/go/doctor/modules.js';
import { nodeInstallProposal } from '../../lang/node/doctor/install-proposal.js';
import { nodeFacts, type NodeFacts } from '../../lang/node/doctor/packages.js';
import {
  apiTarget,
  effectiveVersion,
  ENDED_AT_2,
  pinsForService,
  serviceTrain,
  trainOf,
} from '../../lang/node/doctor/release-trains.js';
import { planContextOf } from '../packages/plan-context.js';
import { pythonFacts, type PythonFacts } from '../../lang/python/doctor/packages.js';
import { compareVersions, parseVersion, satisfies, versionText } from '../packages/semver-range.js';

const ID = 'otel-versions-mismatch' as const;

interface Mismatch {
  summary: string;
  evidence: DoctorEvidence[];
  /** Every version involved was read from what is installed. */
  installed: boolean;
}

interface ServiceMismatch {
  service: Service;
  mismatches: Mismatch[];
  proposals: Proposal[];
}

// ─── Node ────────────────────────────────────────────────────────────────────────────────────────────────────────────

function nodeWhere(facts: NodeFacts, name: string): DoctorEvidence {
  const inst = facts.installed.get(name);
  const decl = facts.declared.get(name);
  if (inst)
    return {
      file: inst.shown,
      line: 1,
      text: `"version": "${inst.version}"`,
      note: `${name} ${inst.version} is installed${decl ? ` (declared ${decl.spec} at ${decl.evidence.file}:${decl.evidence.line})` : ''}`,
    };
  return { ...decl!.evidence, note: `${name} is declared as ${decl!.spec} (not installed)` };
}

function nodeMismatches(facts: NodeFacts): Mismatch[] {
  const out: Mismatch[] = [];
  const names = [...new Set([...facts.installed.keys(), ...facts.declared.keys()])].sort();
  for (const train of ['experimental', 'stable'] as const) {
    const groups = new Map<string, string[]>();
    for (const name of names) {
      const v = effectiveVersion(facts, name);
      if (!v || trainOf(name, v.version) !== train) continue;
      const key = train === 'experimental' ? `0.${v.version.minor}` : `${v.version.major}.x`;
      groups.set(key, [...(groups.get(key) ?? []), name]);
    }
    if (groups.size < 2) continue;
    const involved = [...groups.values()].flat();
    out.push({
      summary:
        train === 'experimental'
          ? `its 0.x OpenTelemetry packages are from different releases (${[...groups.entries()].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}); they must be one release train`
          : `its stable OpenTelemetry packages mix majors (${[...groups.entries()].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')})`,
      evidence: involved.map((n) => nodeWhere(facts, n)),
      installed: involved.every((n) => effectiveVersion(facts, n)?.from === 'installed'),
    });
  }
  for (const pkg of facts.installed.values()) {
    for (const [dep, range] of Object.entries(pkg.dependencies)) {
      const have = effectiveVersion(facts, dep);
      if (!have || trainOf(dep, have.version) !== 'experimental' || have.version.major !== 0) continue;
      if (satisfies(versionText(have.version), range) !== false) continue;
      out.push({
        summary: `${pkg.name} ${pkg.version} expects ${dep} ${range}, but the service has ${versionText(have.version)}: two releases of it are loaded`,
        evidence: [
          { file: pkg.shown, line: 1, note: `${pkg.name} ${pkg.version} depends on ${dep} ${range}` },
          nodeWhere(facts, dep),
        ],
        installed: have.from === 'installed',
      });
    }
  }
  const api = facts.installed.get('@opentelemetry/api');
  if (api) {
    const refusing = [...facts.installed.values()].filter(
      (p) =>
        p.peerDependencies['@opentelemetry/api'] &&
        satisfies(api.version, p.peerDependencies['@opentelemetry/api']!) === false,
    );
    if (refusing.length > 0) {
      out.push({
        summary: `@opentelemetry/api ${api.version} is outside the range ${refusing.map((p) => `${p.name} ${p.version} accepts (${p.peerDependencies['@opentelemetry/api']})`).join(', ')}: the SDK registers its provider through another api copy, which the service's api rejects, so its tracers are no-ops`,
        evidence: [
          nodeWhere(facts, '@opentelemetry/api'),
          ...refusing.map((p) => ({
            file: p.shown,
            line: 1,
            note: `${p.name} ${p.version} peer-depends on @opentelemetry/api ${p.peerDependencies['@opentelemetry/api']}`,
          })),
        ],
        installed: true,
      });
    }
  }
  return out;
}

async function nodeAlign(ctx: CheckContext, service: Service, facts: NodeFacts): Promise<Proposal[]> {
  const used = [...new Set([...facts.declared.keys(), ...facts.imports.keys()])].sort();
  const legacy = used.some((n) => ENDED_AT_2.has(n) && (effectiveVersion(facts, n)?.version.major ?? 0) < 3);
  const pins = await pinsForService(ctx, service);
  const experimental = legacy ? serviceTrain(facts, 'experimental') : parseVersion(pins['@opentelemetry/sdk-node']);
  const stable = legacy ? serviceTrain(facts, 'stable') : parseVersion(pins['@opentelemetry/resources']);
  const specs: string[] = [];
  for (const name of used) {
    const have = effectiveVersion(facts, name)?.version;
    let target: string | undefined;
    if (name === '@opentelemetry/api') target = legacy ? apiTarget(ctx, facts, pins) : pins['@opentelemetry/api'];
    else if (!legacy && name in pins) target = (pins as Record<string, string>)[name];
    else {
      const train = trainOf(name, have);
      if (train === 'experimental' && experimental) target = versionText(experimental);
      if (train === 'stable' && stable) target = versionText(stable);
    }
    if (!target) continue;
    const t = parseVersion(target);
    if (have && t && compareVersions(have, t) === 0 && facts.installed.has(name)) continue;
    specs.push(`${name}@${target}`);
  }
  if (specs.length === 0) return [];
  const to = legacy
    ? 'the newest release the service already has (it uses packages that end at 2.x)'
    : "the recipes' pinned release for the service's Node";
  return [
    await nodeInstallProposal(
      ctx,
      service,
      facts,
      ID,
      `Align the OpenTelemetry packages of ${service.name} to one release`,
      `installs ${to} of every OpenTelemetry package it uses`,
      specs,
    ),
  ];
}

// ─── Python ──────────────────────────────────────────────────────────────────────────────────────────────────────────

interface PyVersion {
  key: string;
  version: string;
  evidence: DoctorEvidence;
  installed: boolean;
}

function pythonVersions(facts: PythonFacts): PyVersion[] {
  const keys = new Set([
    ...facts.declared.keys(),
    ...[...(facts.installed?.keys() ?? [])].filter((k) => k.startsWith('opentelemetry-')),
  ]);
  const out: PyVersion[] = [];
  for (const key of keys) {
    const inst = facts.installed?.get(key);
    const decl = facts.declared.get(key);
    if (inst)
      out.push({
        key,
        version: inst.version,
        installed: true,
        evidence: {
          file: inst.shown,
          line: 1,
          note: `${key} ${inst.version} is installed${decl?.pin ? ` (pinned ${decl.pin} at ${decl.evidence.file}:${decl.evidence.line})` : ''}`,
        },
      });
    else if (decl?.pin)
      out.push({
        key,
        version: decl.pin,
        installed: false,
        evidence: { ...decl.evidence, note: `${key} is pinned to ${decl.pin}` },
      });
  }
  return out;
}

function pythonMismatches(facts: PythonFacts): Mismatch[] {
  const all = pythonVersions(facts);
  const core = all.filter((v) => /^1\.\d+\.\d+$/.test(v.version));
  const contrib = all.filter((v) => /^0\.\d+b\d+$/.test(v.version));
  const out: Mismatch[] = [];
  const sdk = core.find((v) => v.key === 'opentelemetry-sdk') ?? core.find((v) => v.key === 'opentelemetry-api');
  const minorOf = (v: string) => Number(v.split('.')[1]);
  const coreOff = core.filter((v) =>
    v.key === 'opentelemetry-api' || v.key === 'opentelemetry-sdk'
      ? v.version !== sdk?.version
      : minorOf(v.version) !== minorOf(sdk?.version ?? v.version),
  );
  if (sdk && coreOff.length > 0) {
    out.push({
      summary: `opentelemetry-sdk ${sdk.version} needs opentelemetry-api ${sdk.version} and 1.${minorOf(sdk.version)}.x exporters, but ${coreOff.map((v) => `${v.key} is ${v.version}`).join(', ')}`,
      evidence: [sdk.evidence, ...coreOff.map((v) => v.evidence)],
      installed: [sdk, ...coreOff].every((v) => v.installed),
    });
  }
  const expected = sdk
    ? (() => {
        const [, n, m] = /^1\.(\d+)\.(\d+)$/.exec(sdk.version)!;
        return `0.${Number(n) + 21}b${m}`;
      })()
    : contrib[0]?.version;
  const contribOff = contrib.filter((v) => v.version !== expected);
  if (expected && contribOff.length > 0) {
    out.push({
      summary: sdk
        ? `opentelemetry-sdk ${sdk.version} goes with the ${expected} contrib release (it requires opentelemetry-semantic-conventions==${expected}), but ${contribOff.map((v) => `${v.key} is ${v.version}`).join(', ')}`
        : `the contrib packages are from different releases (${[contrib[0]!, ...contribOff].map((v) => `${v.key} ${v.version}`).join(', ')}); each requires opentelemetry-instrumentation of its own release`,
      evidence: [...(sdk ? [sdk.evidence] : [contrib[0]!.evidence]), ...contribOff.map((v) => v.evidence)],
      installed: [...(sdk ? [sdk] : []), ...contribOff].every((v) => v.installed),
    });
  }
  return out;
}

async function pythonAlign(ctx: CheckContext, service: Service, facts: PythonFacts): Promise<Proposal[]> {
  const pctx = planContextOf(ctx);
  const detection = await detectPythonManager(pctx, service);
  const targets = [...facts.declared.values()].map((d) => ({
    d,
    version: /^opentelemetry-(?:api|sdk|proto|exporter-otlp(?:-proto-(?:grpc|http|common))?)$/.test(d.key)
      ? OTEL_SDK_VERSION
      : OTEL_CONTRIB_VERSION,
  }));
  const changing = targets.filter(
    (t) =>
      t.d.pin !== t.version ||
      (facts.installed?.get(t.d.key)?.version !== undefined && facts.installed.get(t.d.key)!.version !== t.version),
  );
  if (changing.length === 0) return [];
  const head = headOf(
    ID,
    service,
    `Align the OpenTelemetry packages of ${service.name} to ${OTEL_SDK_VERSION} / ${OTEL_CONTRIB_VERSION}`,
    "the recipes' pinned SDK release and the contrib release that goes with it",
    'auto-instrumentation',
  );
  const specs = changing.map((t) => `${t.d.name}==${t.version}`);
  if (!detection.ok) return [note(head, `${detection.reason} Install: ${specs.join(' ')}`)];
  const kind = detection.manager.kind;
  const manifest = detection.manager.manifest;
  if (kind === 'poetry' || kind === 'uv' || kind === 'pipenv') {
    const cmd =
      kind === 'poetry'
        ? `poetry add ${changing.map((t) => `${t.d.name}@${t.version}`).join(' ')}`
        : kind === 'uv'
          ? `uv add ${specs.join(' ')}`
          : `pipenv install ${specs.join(' ')}`;
    const touches = [manifest, ...PYTHON_INSTALL[kind].touches.map((t) => inService(service, t))];
    return [await commandIfInstalled(pctx, kind, head, cmd, service.root, touches)];
  }
  // pip / PEP 621: the pins are edited in place, then the recipes' install command.
  const text = (await ctx.repo.read(manifest)) ?? '';
  const edits = changing
    .filter((t) => t.d.evidence.file === manifest && t.d.evidence.text && text.split(t.d.evidence.text).length === 2)
    .map((t) => ({
      old: t.d.evidence.text!,
      new: /==\s*[\w.!+*-]+/.test(t.d.evidence.text!)
        ? t.d.evidence.text!.replace(/==\s*[\w.!+*-]+/, `==${t.version}`)
        : t.d.evidence.text!.replace(/^(["']?[\w.-]+(?:\[[^\]]*\])?)/, `$1==${t.version}`),
    }))
    .filter((e) => e.old !== e.new);
  const out: Proposal[] = [];
  if (edits.length > 0) out.push(editFile({ ...head, id: `${head.id}-pins` }, manifest, edits));
  // Into the project's environment (or a new .venv), never the machine's Python: see recipes/python/python-env.ts.
  out.push(
    ...(await installProposals(
      pctx,
      service,
      detection.manager,
      head,
      edits.length > 0 ? [`${head.id}-pins`] : [],
      `the aligned packages of ${service.name}`,
    )),
  );
  return out;
}

// ─── Go ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function goMismatches(
  ctx: CheckContext,
  service: Service,
): Promise<{ mismatches: Mismatch[]; proposals: Proposal[] }> {
  const gomod = await goModOf(ctx, service);
  if (!gomod) return { mismatches: [], proposals: [] };
  const reqs = [...gomod.mod.requires.entries()];
  const core = reqs.filter(([m, v]) => (m === MODULES.otel || m.startsWith(`${MODULES.otel}/`)) && /^v1\./.test(v));
  const contrib = reqs.filter(([m, v]) => m.startsWith('go.opentelemetry.io/contrib/') && /^v0\.\d+\./.test(v));
  const out: Mismatch[] = [];
  const versions = new Set(core.map(([, v]) => v));
  if (versions.size > 1) {
    out.push({
      summary: `its go.opentelemetry.io/otel modules are at different versions (${core.map(([m, v]) => `${m.replace('go.opentelemetry.io/', '')} ${v}`).join(', ')}); they are released together and must be one version`,
      evidence: core.map(([m, v]) => ({ ...requireEvidence(gomod, m), note: `${m} ${v}` })),
      installed: false,
    });
  }
  const otel = gomod.mod.requires.get(MODULES.otel) ?? core[0]?.[1];
  for (const [m, v] of contrib) {
    const n = Number(/^v0\.(\d+)\./.exec(v)![1]);
    if (n < 40 || !otel) continue;
    const needs = `v1.${n - 25}.0`;
    if (compareModuleVersions(otel, needs) >= 0) continue;
    out.push({
      summary: `${m.replace(/^.*\//, '')} ${v} is built against go.opentelemetry.io/otel ${needs} or later, but go.mod requires ${otel}`,
      evidence: [
        { ...requireEvidence(gomod, m), note: `${m} ${v} needs otel ≥ ${needs}` },
        { ...requireEvidence(gomod, MODULES.otel), note: `go.opentelemetry.io/otel ${otel}` },
      ],
      installed: false,
    });
  }
  if (out.length === 0) return { mismatches: [], proposals: [] };
  const { release } = otelReleaseFor(gomod.mod.goVersion);
  const coreMinor = Number(/^v1\.(\d+)\./.exec(release.otel)![1]);
  const pins: ModulePin[] = [
    ...core.map(([m]) => ({ path: m, version: release.otel })),
    ...contrib.map(([m]) => ({
      path: m,
      version:
        m === MODULES.otelhttp
          ? release.otelhttp
          : m === MODULES.otelgin
            ? OTELGIN_VERSION
            : m === MODULES.otelecho
              ? OTELECHO_VERSION
              : `v0.${coreMinor + 25}.0`,
    })),
  ];
  const proposal = await goGetProposal(
    planContextOf(ctx),
    service,
    headOf(
      ID,
      service,
      `Align the OpenTelemetry modules of ${service.name} to otel ${release.otel}`,
      `the recipes' release for go ${gomod.mod.goVersion ?? '(no go directive)'}, with the contrib releases built against it`,
      'auto-instrumentation',
    ),
    pins,
  );
  return { mismatches: out, proposals: [proposal] };
}

// ─── the cause ───────────────────────────────────────────────────────────────────────────────────────────────────────

async function serviceMismatch(ctx: CheckContext, service: Service): Promise<ServiceMismatch | undefined> {
  if (service.language === 'node') {
    const facts = await nodeFacts(ctx, service);
    const mismatches = nodeMismatches(facts);
    return mismatches.length > 0 ? { service, mismatches, proposals: await nodeAlign(ctx, service, facts) } : undefined;
  }
  if (service.language === 'python') {
    const facts = await pythonFacts(ctx, service);
    const mismatches = pythonMismatches(facts);
    return mismatches.length > 0
      ? { service, mismatches, proposals: await pythonAlign(ctx, service, facts) }
      : undefined;
  }
  if (service.language === 'go') {
    const { mismatches, proposals } = await goMismatches(ctx, service);
    return mismatches.length > 0 ? { service, mismatches, proposals } : undefined;
  }
  return undefined;
}

function toFinding(m: ServiceMismatch, confidence: Finding['confidence'], extra: DoctorEvidence[] = []): Finding {
  return {
    cause: ID,
    service: m.service.id,
    summary: `${m.service.name}: ${m.mismatches.map((x) => x.summary).join('; also ')}`,
    evidence: [...m.mismatches.flatMap((x) => x.evidence), ...extra],
    confidence,
    proposals: m.proposals,
  };
}

/** What the run shows for a service that should have sent spans: a failed start, or answered probes with no span. */
function silence(run: RuntimeRun, service: Service): DoctorEvidence[] | undefined {
  const started = run.services.find((s) => s.service.id === service.id);
  if (started?.status === 'failed')
    return [{ note: `${service.name} failed at start: ${started.reason ?? 'no reason given'}` }];
  const probes = run.probes.filter((p) => p.serviceId === service.id && p.status !== undefined);
  if (probes.length === 0) return undefined;
  if (probes.some((p) => spansDuring(run, p).length > 0)) return undefined;
  return probes.slice(0, 3).map((p) => ({ note: `${describeProbe(p)}; no span arrived` }));
}

export const versionsMismatchCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const m = await serviceMismatch(ctx, service);
      if (m) out.push(toFinding(m, 'medium'));
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      const m = await serviceMismatch(ctx, service);
      if (!m || !m.mismatches.some((x) => x.installed)) continue;
      const shown = silence(run, service);
      if (!shown) continue;
      // Merged with the static finding: only the run's evidence is added, and the confidence raised.
      out.push({
        ...toFinding({ ...m, mismatches: m.mismatches.filter((x) => x.installed) }, 'high'),
        evidence: shown,
      });
    }
    return out;
  },
};
