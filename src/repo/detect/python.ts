/**
 * Python service logic.
 * Start: Procfile, then what the code says (manage.py runserver for Django; `python <file>` when the app file runs
 * itself under `if __name__ == "__main__"`; `uvicorn module:app` for FastAPI; `flask --app module run` for Flask), then
 * Dockerfile CMD/ENTRYPOINT (written for the container, so last).
 * Entrypoint: manage.py for Django, else the module the start command names, else the file building the app object.
 */
import { portInCommand } from '../manifests/deploy.js';
import type { Evidence } from '../scan-schema.js';
import { joinRel } from '../text.js';
import { type Decision, type ServiceInput, inService, pickMarked } from './service-input.js';

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
  const app = /\b(?:uvicorn|gunicorn|hypercorn|daphne|waitress-serve)\b[^\n]*?\s([\w.]+)(?::[\w()]+)?(?:\s|$)/.exec(command + ' ');
  if (app && !app[1]!.startsWith('-')) {
    const mod = app[1]!.replace(/\./g, '/');
    candidates.push(`${mod}.py`, `src/${mod}.py`, `app/${mod}.py`);
  }
  const flaskApp = /--app[= ]\s*([\w.]+)/.exec(command);
  if (flaskApp) candidates.push(`${flaskApp[1]!.replace(/\./g, '/')}.py`);
  for (const c of candidates) {
    const rel = joinRel(input.root, c);
    if (input.exists(rel)) return rel;
  }
  return undefined;
}

function moduleName(root: string, file: string): string {
  return inService(root, file).replace(/\.py$/, '').replace(/\//g, '.');
}

export function decidePython(input: PythonInput): Decision {
  const decision: Decision = { ports: [] };
  const isDjango = input.frameworks.includes('django') && input.managePy !== undefined;
  const appFile = pickMarked(input.scanned, ['app'], (f) => (input.scanned.find((s) => s.file === f)?.scan.markers.has('main') ? 0 : 1));

  // Derived from the code.
  let derived: Decision['start'];
  let derivedEntry: Decision['entrypoint'];
  if (isDjango) {
    const evidence = input.managePyEvidence ?? { file: input.managePy!, line: 1 };
    derived = { command: 'python manage.py runserver', source: 'manage.py', evidence };
    derivedEntry = { file: input.managePy!, evidence };
  } else if (appFile) {
    const scanned = input.scanned.find((s) => s.file === appFile.file)!;
    const main = scanned.scan.markers.get('main');
    const rel = inService(input.root, appFile.file);
    const variable = /^(\w+)\s*=/.exec(appFile.evidence.text ?? '')?.[1] ?? 'app';
    if (main) derived = { command: `python ${rel}`, source: 'python', evidence: main };
    else if (input.frameworks.includes('fastapi')) {
      derived = { command: `uvicorn ${moduleName(input.root, appFile.file)}:${variable}`, source: 'python', evidence: appFile.evidence };
    } else if (input.frameworks.includes('flask')) {
      derived = { command: `flask --app ${moduleName(input.root, appFile.file)} run`, source: 'python', evidence: appFile.evidence };
    }
    derivedEntry = { file: appFile.file, evidence: appFile.evidence };
  } else {
    const main = pickMarked(input.scanned, ['main'], (f) => (/(?:^|\/)(?:main|app|server|__main__)\.py$/.test(f) ? 0 : 1));
    if (main && input.frameworks.length > 0) {
      derived = { command: `python ${inService(input.root, main.file)}`, source: 'python', evidence: main.evidence };
      derivedEntry = { file: main.file, evidence: main.evidence };
    }
  }

  if (input.procfile) {
    decision.start = { command: input.procfile.command, source: 'Procfile', evidence: input.procfile.evidence };
  } else if (derived) {
    decision.start = derived;
  } else if (input.dockerfile?.command) {
    decision.start = { command: input.dockerfile.command.command, source: 'Dockerfile', evidence: input.dockerfile.command.evidence };
  }

  if (decision.start && decision.start.source !== 'python' && decision.start.source !== 'manage.py') {
    const file = moduleFromCommand(input, decision.start.command);
    if (file && !isDjango) decision.entrypoint = { file, evidence: decision.start.evidence };
    const port = portInCommand(decision.start.command);
    if (port) decision.ports.push({ value: port, rank: 0, evidence: decision.start.evidence });
  }
  decision.entrypoint ??= derivedEntry;
  return decision;
}
