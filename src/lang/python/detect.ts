/**
 * Python service logic.
 * Start: Procfile, then what the code says (manage.py runserver for Django; `python <file>` when the app file runs
 * itself under `if __name__ == "__main__"`; `uvicorn module:app` for FastAPI; `flask --app module run` for Flask), then
 * Dockerfile CMD/ENTRYPOINT (written for the container, so last) — except that a Dockerfile naming a file of the
 * service settles which file is the entry: a command derived from another file (a client script beside the server,
 * with its own `__main__` guard) gives way to the Dockerfile's.
 * Entrypoint: manage.py for Django, else the module the start command names, else the file building the app object.
 * A package's __init__.py is named by the package (`flask --app pkg run`); an app built inside a factory function is
 * started through the factory (Flask finds create_app / make_app by itself; uvicorn gets `--factory`).
 * Port: written in the start command, else the default of the server that command (or `app.run()`) starts.
 */
import { portInCommand } from '../../repo/manifests/deploy.js';
import type { Evidence } from '../../types/scan.js';
import { joinRel } from '../../repo/text.js';
import { defaultPort, defaultPortOfCommand } from '../../repo/detect/default-ports.js';
import { type Decision, type ServiceInput, inService, pickMarked } from '../../repo/detect/service-input.js';

export interface PythonInput extends ServiceInput {
  /** Repo-relative manage.py of this service, if any. */
  managePy?: string;
  managePyEvidence?: Evidence;
}

/** The module file (repo-relative) a Python start command names: `uvicorn pkg.main:app`, `python app.py`, `-m pkg`. */
function moduleFromCommand(input: PythonInput, command: string): string | undefined {
  const candidates: string[] = [];
  const py = /\bpython[\d.]*\s+(?:-u\s+)?([\w./-]+\.py)\b/.exec(command);
  if (py) candidates.push(py[1]!.replace(/^\.\//, ''));
  const dashM = /\bpython[\d.]*\s+-m\s+([\w.]+)/.exec(command);
  if (dashM && !/^(?:uvicorn|gunicorn|flask|hypercorn|django)$/.test(dashM[1]!)) {
    const mod = dashM[1]!.replace(/\./g, '/');
    candidates.push(`${mod}.py`, `${mod}/__main__.py`);
  }
  const app =
    /\b(?:uvicorn|gunicorn|hypercorn|daphne|waitress-serve)\b[^\n]*?\s['"]?([\w.]+)(?::[\w()]+)?['"]?(?:\s|$)/.exec(
      command + ' ',
    );
  if (app && !app[1]!.startsWith('-')) {
    const mod = app[1]!.replace(/\./g, '/');
    candidates.push(`${mod}.py`, `${mod}/__init__.py`, `src/${mod}.py`, `src/${mod}/__init__.py`, `app/${mod}.py`);
  }
  const flaskApp = /--app[= ]\s*['"]?([\w.]+)/.exec(command) ?? /\bFLASK_APP=['"]?([\w.]+)/.exec(command);
  if (flaskApp) {
    const mod = flaskApp[1]!.replace(/\.py$/, '').replace(/\./g, '/');
    candidates.push(`${mod}.py`, `${mod}/__init__.py`);
  }
  for (const c of candidates) {
    const rel = joinRel(input.root, c);
    if (input.exists(rel)) return rel;
  }
  return undefined;
}

/** The importable name of a module file: `pkg/main.py` → `pkg.main`, a package's `pkg/__init__.py` → `pkg`. */
export function moduleName(root: string, file: string): string {
  return inService(root, file)
    .replace(/(?:^|\/)__init__\.py$/, '')
    .replace(/\.py$/, '')
    .replace(/\//g, '.');
}

/**
 * Django's autoreloader serves from a child process, and on SIGTERM its parent kills that child at once (SIGKILL), so
 * the spans the child still buffers never leave it. The derived command runs the server in one process.
 */
export const RUNSERVER_NO_RELOAD = '--noreload';
export const RUNSERVER_NO_RELOAD_WHY =
  '--noreload: with the autoreloader, runserver serves from a child process that its parent kills outright on SIGTERM, so the spans it still holds are lost; edit this command to drop the flag if you want reloading';

/** Flask's `--app pkg` finds a factory by itself under these names; any other factory is named with a call. */
const FLASK_FACTORY_NAMES = new Set(['create_app', 'make_app']);

/** The default port of a server started from code (`app.run()`, `uvicorn.run(app)`), when no port= is given. */
function runCallDefault(input: PythonInput, file: string): ReturnType<typeof defaultPort> | undefined {
  const call = input.scanned.find((s) => s.file === file)?.scan.markers.get('run-call');
  const text = call?.text ?? '';
  if (!call || /\bport\b/i.test(text)) return undefined;
  if (/\buvicorn\.run\(/.test(text))
    return defaultPort(8000, 'uvicorn.run() listens on 8000 unless port= is given', call);
  if (input.frameworks.includes('flask') && !/\b(?:asyncio|uvicorn|loop)\.run\(/.test(text)) {
    return defaultPort(5000, "Flask's app.run() listens on 5000 unless port= is given", call);
  }
  return undefined;
}

export function decidePython(input: PythonInput): Decision {
  const decision: Decision = { ports: [] };
  const isDjango = input.frameworks.includes('django') && input.managePy !== undefined;
  const appFile = pickMarked(input.scanned, ['app'], (f) =>
    input.scanned.find((s) => s.file === f)?.scan.markers.has('main') ? 0 : 1,
  );

  // Derived from the code.
  let derived: Decision['start'];
  let derivedEntry: Decision['entrypoint'];
  if (isDjango) {
    const evidence = input.managePyEvidence ?? { file: input.managePy!, line: 1 };
    derived = {
      command: `python manage.py runserver ${RUNSERVER_NO_RELOAD}`,
      source: 'manage.py',
      evidence,
      why: RUNSERVER_NO_RELOAD_WHY,
    };
    derivedEntry = { file: input.managePy!, evidence };
  } else if (appFile) {
    const scanned = input.scanned.find((s) => s.file === appFile.file)!;
    const main = scanned.scan.markers.get('main');
    const rel = inService(input.root, appFile.file);
    const variable = /^\s*(\w+)\s*=/.exec(appFile.evidence.text ?? '')?.[1] ?? 'app';
    // The factory marker ends at the first app object built inside a function; it names the factory when that object is the app.
    const factoryFound = scanned.scan.markers.get('factory');
    const factoryMarker = factoryFound && factoryFound.line < appFile.evidence.line ? factoryFound : undefined;
    const factory = factoryMarker && /\bdef\s+(\w+)/.exec(factoryMarker.text ?? '')?.[1];
    const module = moduleName(input.root, appFile.file);
    if (main) derived = { command: `python ${rel}`, source: 'python', evidence: main };
    else if (input.frameworks.includes('fastapi')) {
      const command = factory ? `uvicorn ${module}:${factory} --factory` : `uvicorn ${module}:${variable}`;
      derived = { command, source: 'python', evidence: factoryMarker ?? appFile.evidence };
    } else if (input.frameworks.includes('flask')) {
      const target = factory && !FLASK_FACTORY_NAMES.has(factory) ? `'${module}:${factory}()'` : module;
      derived = { command: `flask --app ${target} run`, source: 'python', evidence: factoryMarker ?? appFile.evidence };
    }
    derivedEntry = { file: appFile.file, evidence: appFile.evidence };
  } else {
    const main = pickMarked(input.scanned, ['main'], (f) =>
      /(?:^|\/)(?:main|app|server|__main__)\.py$/.test(f) ? 0 : 1,
    );
    if (main && input.frameworks.length > 0) {
      derived = { command: `python ${inService(input.root, main.file)}`, source: 'python', evidence: main.evidence };
      derivedEntry = { file: main.file, evidence: main.evidence };
    }
  }

  const dockerEntry =
    input.dockerfile?.command && !isDjango ? moduleFromCommand(input, input.dockerfile.command.command) : undefined;
  if (dockerEntry !== undefined && dockerEntry !== derivedEntry?.file) derived = undefined;

  if (input.procfile) {
    decision.start = { command: input.procfile.command, source: 'Procfile', evidence: input.procfile.evidence };
  } else if (derived) {
    decision.start = derived;
  } else if (input.dockerfile?.command) {
    decision.start = {
      command: input.dockerfile.command.command,
      source: 'Dockerfile',
      evidence: input.dockerfile.command.evidence,
    };
  }

  if (decision.start && decision.start.source !== 'python' && decision.start.source !== 'manage.py') {
    const file = moduleFromCommand(input, decision.start.command);
    if (file && !isDjango) decision.entrypoint = { file, evidence: decision.start.evidence };
    const port = portInCommand(decision.start.command);
    if (port) decision.ports.push({ value: port, rank: 0, evidence: decision.start.evidence });
  }
  decision.entrypoint ??= derivedEntry;
  if (decision.start) {
    const byCommand = defaultPortOfCommand(decision.start.command, decision.start.evidence);
    const started = /\bpython[\d.]*\s+(?:-u\s+)?[\w./-]+\.py\b/.test(decision.start.command)
      ? decision.entrypoint?.file
      : undefined;
    const byCode = started ? runCallDefault(input, started) : undefined;
    const found = byCommand ?? byCode;
    if (found) decision.ports.push(found);
  }
  return decision;
}
