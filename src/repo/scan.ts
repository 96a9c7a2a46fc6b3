/**
 * The repo scan: finds the services of a repo and what each one is made of, every finding with its evidence.
 *
 * Order of work, to read as little as possible and nothing twice:
 * 1. list files (git index, or a walk with the same ignore rules) — files.ts
 * 2. find service boundaries from the list alone — services.ts
 * 3. per service: its language's scanner reads its manifests (lang/<language>/scan.ts), then its source files are read
 *    (only its language, tests and docs left out), each once, each through one pass of import extraction plus a few
 *    substring-gated patterns — detect/matcher.ts
 * 4. per-language decisions (entrypoint, start command, port) — the scanner's decide(), lang/<language>/detect.ts
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { inputError } from '../core/errors.js';
import { type PortHit, RuleMatcher } from './detect/matcher.js';
import { type ScannedFile, type ServiceInput, inService } from './detect/service-input.js';
import type { Category, CommandAgent, LibraryRule } from './detect/types.js';
import { listFiles } from './files.js';
import { type Dockerfile, parseDockerfile, procfileCommand } from './manifests/deploy.js';
import { FileReader } from './read.js';
import { LANGUAGE_SCANNERS } from '../lang/scanners.js';
import type { Evidence, Finding, Language, ScanProblem, ScanResult, Service } from '../types/scan.js';
import { type Candidate, MANIFEST_PREFERENCE } from './services.js';
import { discoverCandidates } from './services.js';
import { isReadSource } from './source-files.js';
import { baseName, joinRel } from './text.js';

export interface ScanOptions {
  /** Files larger than this are not read (default 512 KiB). */
  maxFileBytes?: number;
}

/** One rule matcher per language, built once from the language's library table. */
const MATCHERS = Object.fromEntries(
  Object.entries(LANGUAGE_SCANNERS).map(([language, scanner]) => [language, new RuleMatcher(scanner.table)]),
) as Record<Language, RuleMatcher>;

const CATEGORY_FIELD = {
  framework: 'frameworks',
  http: 'httpClients',
  queue: 'queueClients',
  db: 'dbClients',
  logging: 'logging',
  tracing: 'tracing',
} as const satisfies Record<Category, keyof Service>;

/** Source evidence beats an agent on a command line, which beats a manifest dependency line. */
const PRIORITY = { manifest: 1, command: 2, source: 3 } as const;

/** Yield to the event loop every so many file reads, so a UI stays responsive during a long scan. */
const YIELD_EVERY = 400;

async function checkRoot(abs: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw inputError(
        `No such directory: ${abs}`,
        'Pass the path of a repository folder, or run trace-guide inside one.',
        e,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw inputError(
        `Cannot open ${abs}: permission denied`,
        'Check the folder permissions, or run as a user who can read it.',
        e,
      );
    }
    throw inputError(
      `Cannot open ${abs} (${code ?? (e as Error).message})`,
      'Pass the path of a readable repository folder.',
      e,
    );
  }
  if (!stat.isDirectory()) {
    throw inputError(`Not a directory: ${abs}`, 'Pass the folder of the repository, not a file inside it.');
  }
  try {
    await fs.access(abs, constants.R_OK | constants.X_OK);
  } catch (e) {
    throw inputError(
      `Cannot read ${abs}: permission denied`,
      'Check the folder permissions, or run as a user who can read it.',
      e,
    );
  }
}

/** Per-scan state: the reader, the text cache (no file is read twice) and the problems. */
class ScanState {
  readonly reader: FileReader;
  private readonly texts = new Map<string, string | undefined>();
  readonly problems: ScanProblem[] = [];
  private sinceYield = 0;

  constructor(
    readonly root: string,
    readonly files: ReadonlySet<string>,
    maxFileBytes: number | undefined,
  ) {
    this.reader = new FileReader(root, maxFileBytes);
  }

  exists = (rel: string): boolean => this.files.has(rel);

  /**
   * Reads a listed file. `manifest` reports a file that cannot be used as a problem. Only small files that may be asked
   * for twice (manifests, configs, manage.py) are kept (`keep`); source files are read once and dropped after their
   * scan, so the scan's memory stays flat.
   */
  async read(rel: string, manifest = false, keep = true): Promise<string | undefined> {
    if (this.texts.has(rel)) return this.texts.get(rel);
    if (++this.sinceYield >= YIELD_EVERY) {
      this.sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const outcome = this.reader.read(rel);
    const text = outcome.ok ? outcome.text : undefined;
    if (!outcome.ok && manifest) {
      const why = {
        'too-large': `larger than ${this.reader.maxBytes} bytes; skipped`,
        binary: 'looks binary; skipped',
        missing: 'could not be read (missing or a dangling symlink); skipped',
        outside: 'resolves outside the repo (symlink); skipped',
        'not-a-file': 'is not a regular file (FIFO, socket or device); skipped',
        unreadable: 'could not be read (permission?); skipped',
      }[outcome.reason];
      this.problems.push({ file: rel, message: `${baseName(rel)} ${why}` });
    }
    if (keep) this.texts.set(rel, text);
    return text;
  }

  problem(file: string, message: string): void {
    this.problems.push({ file, message });
  }
}

interface Collected {
  findings: Map<LibraryRule, { name: string; category: Category; evidence: Evidence; priority: number }>;
}

function addFinding(c: Collected, rule: LibraryRule, evidence: Evidence, priority: number): void {
  const current = c.findings.get(rule);
  if (!current || current.priority < priority)
    c.findings.set(rule, { name: rule.name, category: rule.category, evidence, priority });
}

function addAgent(c: Collected, language: Language, agent: CommandAgent, evidence: Evidence): void {
  // Attach to the table's tracing row of the same name, so the finding is listed once.
  const rule =
    MATCHERS[language].table.rules.find((r) => r.category === 'tracing' && r.name === agent.name) ??
    ({ name: agent.name, category: 'tracing' } satisfies LibraryRule);
  addFinding(c, rule, evidence, PRIORITY.command);
}

async function buildService(state: ScanState, cand: Candidate, repoName: string): Promise<Service | undefined> {
  const { root, language } = cand;
  const matcher = MATCHERS[language];
  const scanner = LANGUAGE_SCANNERS[language];
  const collected: Collected = { findings: new Map() };
  const manifestOf = (kind: string) => cand.manifests.find((m) => m.kind === kind)?.file;
  const facts = await scanner.readManifests({
    root,
    manifests: cand.manifests,
    exists: state.exists,
    read: (rel, manifest) => state.read(rel, manifest),
    problem: (file, message) => state.problem(file, message),
  });
  if (!facts) return undefined;
  const { name } = facts;
  for (const dep of facts.dependencies) {
    for (const rule of matcher.matchPackage(dep.name)) addFinding(collected, rule, dep.evidence, PRIORITY.manifest);
  }

  // Deployment files at the service root.
  let dockerfile: Dockerfile | undefined;
  const dockerPath = joinRel(root, 'Dockerfile');
  if (state.exists(dockerPath)) {
    const text = await state.read(dockerPath);
    if (text !== undefined) dockerfile = parseDockerfile(dockerPath, text);
  }
  const procPath = joinRel(root, 'Procfile');
  const procText = state.exists(procPath) ? await state.read(procPath) : undefined;
  const procfile = procText === undefined ? undefined : procfileCommand(procPath, procText);

  // Agents on command lines: scripts, Procfile, Dockerfile.
  const commandLines: Array<{ command: string; evidence: Evidence }> = [
    ...facts.commandLines,
    ...(procfile ? [procfile] : []),
    ...(dockerfile?.lines ?? []),
  ];
  for (const line of commandLines) {
    for (const agent of scanner.agents)
      if (agent.pattern.test(line.command)) addAgent(collected, language, agent, line.evidence);
  }

  // Source files (a listed language is known by its manifests: its sources are not read).
  const scanned: ScannedFile[] = [];
  const sources = scanner.support === 'listed' ? [] : cand.sources;
  for (const file of sources) {
    if (!isReadSource(language, inService(root, file))) continue;
    const text = await state.read(file, false, false);
    if (text === undefined) continue;
    const scan = matcher.scanFile(file, text);
    scanned.push({ file, scan });
    for (const hit of scan.hits) addFinding(collected, hit.rule, hit.evidence, PRIORITY.source);
  }

  const frameworks = [...collected.findings.values()].filter((f) => f.category === 'framework').map((f) => f.name);
  const input: ServiceInput = {
    root,
    exists: state.exists,
    scanned,
    frameworks,
    ...(procfile && { procfile }),
    ...(dockerfile && { dockerfile }),
  };
  const decision = await facts.decide(input);

  // An entrypoint that is not a source file by its name (express-generator's bin/www) is read like one: its port, its imports.
  const entryToScan = decision.entrypoint?.file;
  if (
    entryToScan &&
    scanner.support !== 'listed' &&
    !scanned.some((s) => s.file === entryToScan) &&
    state.exists(entryToScan)
  ) {
    const text = await state.read(entryToScan, false, false);
    if (text !== undefined) {
      const scan = matcher.scanFile(entryToScan, text);
      scanned.push({ file: entryToScan, scan });
      for (const hit of scan.hits) addFinding(collected, hit.rule, hit.evidence, PRIORITY.source);
    }
  }

  // Port: lowest rank; ties go to the entrypoint file, then to path order.
  const ports: PortHit[] = [...decision.ports, ...facts.configPorts];
  for (const s of scanned) ports.push(...s.scan.ports);
  if (dockerfile?.envPort) ports.push({ ...dockerfile.envPort, rank: 8 });
  if (dockerfile?.expose) ports.push({ ...dockerfile.expose, rank: 9 });
  const entryFile = decision.entrypoint?.file;
  const port = ports
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        a.p.rank - b.p.rank ||
        Number(b.p.evidence.file === entryFile) - Number(a.p.evidence.file === entryFile) ||
        a.i - b.i,
    )[0]?.p;

  const manifestFile =
    MANIFEST_PREFERENCE.map((k) => manifestOf(k)).find((f) => f !== undefined) ?? cand.manifests[0]!.file;
  const entry = decision.entrypoint?.file;
  const fromCode = name === undefined ? await facts.nameFromCode(entry) : undefined;
  const service: Service = {
    // The id stays what the manifest says (the go.mod module path), so stored sessions keep finding their service.
    id: root === '.' ? (name ?? facts.moduleId ?? repoName) : root,
    name: name ?? fromCode ?? (root === '.' ? repoName : baseName(root)),
    root,
    language,
    manifest: manifestFile,
    frameworks: [],
    httpClients: [],
    queueClients: [],
    dbClients: [],
    logging: [],
    tracing: [],
  };
  Object.assign(service, facts.serviceFields(decision));
  if (scanner.support === 'listed') {
    // Loaded only when such a service is met: a scan of Node, Python, Go and Java services never parses the skill data.
    const { listedAdvice } = await import('../skill/listed-languages.js');
    service.noRecipes = {
      evidence: facts.evidence ?? { file: manifestFile, line: 0 },
      ...(await listedAdvice(language)),
    };
  }
  if (decision.entrypoint) service.entrypoint = decision.entrypoint;
  if (decision.start) service.start = decision.start;
  if (port) {
    service.port = {
      value: port.value,
      evidence: port.evidence,
      ...(port.frameworkDefault ? { frameworkDefault: port.frameworkDefault } : {}),
      ...(port.defaultVariable ? { defaultVariable: port.defaultVariable } : {}),
      ...(port.defaultArgument ? { defaultArgument: port.defaultArgument } : {}),
    };
  }

  // Findings in table order, one per name and category.
  const order = new Map(matcher.table.rules.map((r, i) => [r, i] as const));
  const sorted = [...collected.findings.entries()].sort((a, b) => (order.get(a[0]) ?? 1e9) - (order.get(b[0]) ?? 1e9));
  const seen = new Set<string>();
  for (const [, f] of sorted) {
    const key = `${f.category}:${f.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const finding: Finding = { name: f.name, evidence: f.evidence };
    service[CATEGORY_FIELD[f.category]].push(finding);
  }
  return service;
}

/**
 * Scans a repository. Throws an input error when `root` is not a readable directory; anything wrong inside the repo
 * (a broken manifest, an unreadable folder) is a `problems` entry and the scan goes on.
 */
export async function scanRepo(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const abs = path.resolve(root);
  await checkRoot(abs);
  const listing = await listFiles(abs);
  const state = new ScanState(abs, new Set(listing.files), options.maxFileBytes);
  for (const dir of listing.unreadable) state.problem(dir, 'folder could not be read (permission denied?); skipped');

  const repoName = path.basename(abs) || 'repo';
  const services: Service[] = [];
  for (const cand of discoverCandidates(listing.files)) {
    const service = await buildService(state, cand, repoName);
    if (service) services.push(service);
  }
  const ids = new Set<string>();
  for (const s of services) {
    if (ids.has(s.id)) s.id = `${s.id}#${s.language}`;
    ids.add(s.id);
  }
  return {
    root: abs,
    fileCount: listing.files.length,
    usedGit: listing.usedGit,
    services,
    problems: state.problems,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
