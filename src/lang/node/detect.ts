/**
 * Node service logic: start command, entrypoint, TypeScript and module system.
 * Start: package.json `start`, then `dev` (run as `npm start` / `npm run dev`), then Procfile, then Dockerfile, then
 * (no script at all) the file that listens, run directly: `node app.js` — that also runs an app whose listen sits under a
 * `require.main === module` guard — or `npx tsx src/server.ts` for TypeScript when tsx is a dependency.
 * Entrypoint: the file the start command runs (build output mapped back to its TypeScript source; an extensionless
 * script such as express-generator's bin/www as it is), else the file that bootstraps the server (NestFactory.create,
 * .listen(, createServer().
 * Port: what the code or command says; Node servers have no default port.
 */
import type { PackageJson, TsConfig } from './manifest.js';
import { portInCommand } from '../../repo/manifests/deploy.js';
import { baseName, joinRel } from '../../repo/text.js';
import { isTypeScriptFile } from '../../repo/source-files.js';
import { type Decision, type ServiceInput, inService, pickMarked } from '../../repo/detect/service-input.js';

export interface NodeInput extends ServiceInput {
  pkg?: PackageJson;
  tsconfig?: TsConfig;
  hasTsconfig: boolean;
}

const RUNNERS =
  /^(?:node|nodemon|ts-node|ts-node-dev|ts-node-esm|tsx|bun|babel-node|node-dev|pm2-runtime|pm2|esno|vite-node)$/;
/** Runner flags that take a value ("-r dd-trace/init"). */
const FLAGS_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-e',
  '--exec',
  '-w',
  '--watch',
  '--ignore',
  '--env-file',
  '-P',
  '--project',
]);
const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/;

/** The script path a command line runs, if it names one. */
export function scriptTarget(command: string): string | undefined {
  const tokens = command.split(/\s+|&&|;/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.replace(/^["']|["']$/g, '');
    if (!RUNNERS.test(baseName(t))) continue;
    for (let j = i + 1; j < tokens.length; j++) {
      const a = tokens[j]!.replace(/^["']|["']$/g, '');
      if (a === 'watch' || a === 'start' || a === 'run') continue; // tsx watch, pm2 start
      if (a.startsWith('-')) {
        if (FLAGS_WITH_VALUE.has(a)) j++;
        continue;
      }
      return a;
    }
  }
  return tokens.map((t) => t.replace(/^["']|["']$/g, '')).find((t) => CODE_FILE.test(t) && !t.startsWith('-'));
}

/** Candidate source paths (service-relative) for a path a command runs, mapping build output back to sources. */
function sourceCandidates(target: string, tsconfig: TsConfig | undefined): string[] {
  let p = target.replace(/^\.\//, '').replace(/\/$/, '');
  if (p === '.' || p === '') p = 'index';
  const stems = new Set<string>();
  const noExt = p.replace(/\.[cm]?[jt]sx?$/, '');
  stems.add(noExt);
  const outDirs = [tsconfig?.outDir, 'dist', 'build', 'out', 'lib'].filter((d): d is string => !!d);
  for (const out of outDirs) {
    if (noExt === out || noExt.startsWith(out + '/')) {
      const rest = noExt.slice(out.length + 1) || 'index';
      const rootDir = tsconfig?.rootDir ?? 'src';
      stems.add(rootDir && rootDir !== '.' ? `${rootDir}/${rest}` : rest);
      stems.add(rest);
    }
  }
  const out: string[] = [p];
  const exts = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.tsx', '.jsx'];
  for (const stem of stems) {
    for (const ext of exts) out.push(stem + ext);
    for (const ext of exts) out.push(`${stem}/index${ext}`);
  }
  return out;
}

/** An executable script without an extension (bin/www, bin/server): run by node through its shebang or by name. */
const EXTENSIONLESS_SCRIPT = /(?:^|\/)[\w-]+$/;

function resolveTarget(input: NodeInput, target: string): string | undefined {
  for (const cand of sourceCandidates(target, input.tsconfig)) {
    const rel = joinRel(input.root, cand);
    if (CODE_FILE.test(rel) && input.exists(rel)) return rel;
  }
  const plain = joinRel(input.root, target.replace(/^\.\//, ''));
  if (EXTENSIONLESS_SCRIPT.test(plain) && input.exists(plain)) return plain;
  return undefined;
}

const PREFERRED_NAMES = /(?:^|\/)(?:main|index|server|app)\.[cm]?[jt]sx?$/;

export function decideNode(input: NodeInput): Decision {
  const decision: Decision = { ports: [] };
  const { pkg } = input;

  const script = pkg?.scripts[0];
  if (script) {
    decision.start = {
      command: script.name === 'start' ? 'npm start' : `npm run ${script.name}`,
      source: 'package.json',
      evidence: script.evidence,
    };
  } else if (input.procfile) {
    decision.start = { command: input.procfile.command, source: 'Procfile', evidence: input.procfile.evidence };
  } else if (input.dockerfile?.command) {
    decision.start = {
      command: input.dockerfile.command.command,
      source: 'Dockerfile',
      evidence: input.dockerfile.command.evidence,
    };
  }
  const startBody = script?.body ?? decision.start?.command;
  if (startBody && decision.start) {
    const port = portInCommand(startBody);
    if (port) decision.ports.push({ value: port, rank: 0, evidence: decision.start.evidence });
  }

  // Entrypoint: what the start scripts run (start, then dev), then the bootstrap file.
  for (const s of pkg?.scripts ?? []) {
    if (/^\s*nest\s+start\b/.test(s.body) && input.exists(joinRel(input.root, 'src/main.ts'))) {
      decision.entrypoint = { file: joinRel(input.root, 'src/main.ts'), evidence: s.evidence };
      break;
    }
    const target = scriptTarget(s.body);
    const file = target && resolveTarget(input, target);
    if (file) {
      decision.entrypoint = { file, evidence: s.evidence };
      break;
    }
  }
  if (!decision.entrypoint && !script && decision.start) {
    const target = scriptTarget(decision.start.command);
    const file = target && resolveTarget(input, target);
    if (file) decision.entrypoint = { file, evidence: decision.start.evidence };
  }
  if (!decision.entrypoint) {
    const marked = pickMarked(input.scanned, ['bootstrap', 'listen'], (f) =>
      PREFERRED_NAMES.test(inService(input.root, f)) ? 0 : 1,
    );
    if (marked) decision.entrypoint = { file: marked.file, evidence: marked.evidence };
  }
  if (!decision.start && decision.entrypoint) {
    const command = directRun(input, decision.entrypoint.file);
    if (command) decision.start = { command, source: 'node', evidence: decision.entrypoint.evidence };
  }

  decision.typescript = input.hasTsconfig || input.scanned.some((s) => isTypeScriptFile(s.file));
  decision.moduleSystem = moduleSystem(input, decision.entrypoint?.file, decision.typescript);
  return decision;
}

/** How to run the listening file when no script says: node for JavaScript, tsx (when a dependency) for TypeScript. */
function directRun(input: NodeInput, entry: string): string | undefined {
  const rel = inService(input.root, entry);
  if (/\.[cm]?js$/.test(rel)) return `node ${rel}`;
  if (/\.[cm]?tsx?$/.test(rel) && input.pkg?.dependencies.some((d) => d.name === 'tsx')) return `npx tsx ${rel}`;
  return undefined;
}

function moduleSystem(input: NodeInput, entry: string | undefined, typescript: boolean): 'commonjs' | 'esm' {
  if (entry && /\.m[jt]s$/.test(entry)) return 'esm';
  if (entry && /\.c[jt]s$/.test(entry)) return 'commonjs';
  const byPackage = input.pkg?.type === 'module' ? 'esm' : 'commonjs';
  const mod = input.tsconfig?.module;
  if (typescript && mod) {
    if (mod === 'commonjs' || mod === 'umd' || mod === 'amd') return 'commonjs';
    if (/^es\d*$|^es20\d\d$|^esnext$/.test(mod)) return 'esm';
  }
  return byPackage;
}
