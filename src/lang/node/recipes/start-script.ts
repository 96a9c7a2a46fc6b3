/**
 * Loading the set-up file before the application: the start script gets `--require ./tracing.cjs` (CommonJS) or
 * `--import ./tracing.mjs` (ESM) right after `node`; scripts that start through another runner (nest start, nodemon,
 * ts-node, tsx...) get the flag through NODE_OPTIONS. The rest of the script stays as the user wrote it. A service that
 * no script starts (run as `node app.js`) gets a "start" script that runs it with the flag.
 */
import type { Service } from '../../../types/scan.js';
import type { EditPair } from '../../../types/proposal.js';
import type { PackageJsonFile, SetupFile } from './service-files.js';
import { addScriptEdit, scriptEntryText } from './package-json.js';

export type ScriptChange =
  | { kind: 'edit'; script: string; before: string; after: string; edit: EditPair }
  | { kind: 'loaded'; script: string }
  | { kind: 'manual'; script: string; body: string; reason: string };

/** The scripts that start the service: the one the scan runs (start, else dev) and a production start beside it. */
export function startScripts(service: Service, pkg: PackageJsonFile): string[] {
  const names: string[] = [];
  const cmd = service.start?.source === 'package.json' ? service.start.command : undefined;
  const chosen =
    cmd === 'npm start' ? 'start' : cmd?.startsWith('npm run ') ? cmd.slice('npm run '.length).trim() : undefined;
  if (chosen && chosen in pkg.data.scripts) names.push(chosen);
  for (const extra of ['start:prod', 'serve'])
    if (extra in pkg.data.scripts && !names.includes(extra)) names.push(extra);
  return names;
}

export function flagFor(setup: SetupFile): string {
  return `${setup.esm ? '--import' : '--require'} ${setup.relative}`;
}

const RUNNERS = /^(?:nest\s+start|nodemon|ts-node|ts-node-dev|tsx|node-dev|pm2-runtime)\b/;

/** A command line with the set-up loaded first: `node <flag> …`, or NODE_OPTIONS for another runner; undefined for others. */
export function withSetupLoaded(body: string, setup: SetupFile): string | undefined {
  // Leading environment assignments (PORT=3000 node ...) stay in front.
  const lead = /^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)/.exec(body)?.[1] ?? '';
  const rest = body.slice(lead.length);
  if (/^node\s/.test(rest)) return `${lead}node ${flagFor(setup)} ${rest.slice(5).trimStart()}`;
  // `tsx file.ts` runs the app in a child process, which tsx SIGKILLs when the child does not acknowledge a relayed
  // SIGTERM within tens of milliseconds (a busy machine): the set-up's flush can be cut short. `node --import tsx` is
  // the same TypeScript loader in one process. tsx with its own options or `watch` keeps NODE_OPTIONS below.
  if (/^tsx\s+[^\s-]/.test(rest) && !/^tsx\s+watch\b/.test(rest))
    return `${lead}node --import tsx ${flagFor(setup)} ${rest.slice(4).trimStart()}`;
  if (RUNNERS.test(rest) && !/NODE_OPTIONS/.test(body)) return `${lead}NODE_OPTIONS='${flagFor(setup)}' ${rest}`;
  return undefined;
}

export function loadSetupInScript(pkg: PackageJsonFile, script: string, setup: SetupFile): ScriptChange {
  const body = pkg.data.scripts[script] ?? '';
  const name = setup.relative.slice(2);
  if (body.includes(name) || /auto-instrumentations-node\/register/.test(body)) return { kind: 'loaded', script };
  const entry = scriptEntryText(pkg.text, script, body);
  if (!entry)
    return { kind: 'manual', script, body, reason: 'its text in package.json could not be matched exactly once' };
  const after = withSetupLoaded(body, setup);
  if (!after) {
    return { kind: 'manual', script, body, reason: 'it does not start with node or a known runner' };
  }
  const newEntry = entry.slice(0, entry.length - JSON.stringify(body).length) + JSON.stringify(after);
  return { kind: 'edit', script, before: body, after, edit: { old: entry, new: newEntry } };
}

/**
 * A service with no script that starts it, run as the scan derived it from the file that listens (`node app.js`,
 * `npx tsx src/server.ts`): a "start" script that runs that command with the set-up loaded first, so `npm start` (and
 * trace-guide's checks, which then start it that way) run it traced. Undefined when the command is not one trace-guide
 * derived, a "start" script exists, or package.json cannot be edited exactly.
 */
export function addStartScript(
  service: Service,
  pkg: PackageJsonFile,
  setup: SetupFile,
): { body: string; edit: EditPair } | undefined {
  if (service.start?.source !== 'node' || 'start' in pkg.data.scripts) return undefined;
  // npm puts node_modules/.bin on PATH for scripts: `npx tsx` is `tsx` there.
  const body = withSetupLoaded(service.start.command.replace(/^npx\s+/, ''), setup);
  const edit = body === undefined ? undefined : addScriptEdit(pkg.text, 'start', body);
  return body !== undefined && edit ? { body, edit } : undefined;
}
