/**
 * Go service logic.
 * Entrypoint: a `package main` file with `func main()`, preferring one in the package the Dockerfile builds or runs
 * (`go build -o /server ./cmd/server`), then one that starts a server (a framework found in it), then the shallowest
 * (main.go at the module root, then cmd/<name>/main.go).
 * Start: Procfile, then `go run <package of the entrypoint>` (`go run ./cmd/<name>` for cmd/<name>/main.go), then
 * Dockerfile.
 * Port: written in the code or command, else Gin's default when the entrypoint calls `r.Run()` without an address.
 */
import { portInCommand } from '../../repo/manifests/deploy.js';
import { dirOf } from '../../repo/text.js';
import { defaultPort } from '../../repo/detect/default-ports.js';
import { type Decision, type ServiceInput, inService, pickMarked } from '../../repo/detect/service-input.js';

/** Service-relative package folders a Dockerfile builds or runs (`go build ./cmd/server`, `go run .`); '.' = the root. */
function dockerfilePackages(input: ServiceInput): Set<string> {
  const dirs = new Set<string>();
  for (const line of input.dockerfile?.lines ?? []) {
    for (const m of line.command.matchAll(/\bgo\s+(?:build|run|install)\b([^&;|]*)/g)) {
      for (const arg of m[1]!.trim().split(/\s+/)) {
        // './...' builds every package: it names none.
        if (!/^\.(?:\/[\w./-]*)?$/.test(arg) || arg.includes('...')) continue;
        const pkg = (arg.endsWith('.go') ? dirOf(arg) : arg).replace(/\/$/, '').replace(/^\.\/?/, '');
        dirs.add(pkg === '' ? '.' : pkg);
      }
    }
  }
  return dirs;
}

export function decideGo(input: ServiceInput): Decision {
  const decision: Decision = { ports: [] };
  const mains = input.scanned.filter((s) => s.scan.markers.has('package-main'));
  const serves = new Set(
    mains.filter((s) => s.scan.hits.some((h) => h.rule.category === 'framework')).map((s) => s.file),
  );
  const built = dockerfilePackages(input);
  const entry = pickMarked(
    mains,
    ['main'],
    (f) => (built.has(dirOf(inService(input.root, f))) ? 0 : 2) + (serves.has(f) ? 0 : 1),
  );
  if (entry) decision.entrypoint = { file: entry.file, evidence: entry.evidence };

  if (input.procfile) {
    decision.start = { command: input.procfile.command, source: 'Procfile', evidence: input.procfile.evidence };
  } else if (entry) {
    const pkgDir = dirOf(inService(input.root, entry.file));
    decision.start = {
      command: pkgDir === '.' ? 'go run .' : `go run ./${pkgDir}`,
      source: 'go',
      evidence: entry.evidence,
    };
  } else if (input.dockerfile?.command) {
    decision.start = {
      command: input.dockerfile.command.command,
      source: 'Dockerfile',
      evidence: input.dockerfile.command.evidence,
    };
  }
  if (decision.start && decision.start.source !== 'go') {
    const port = portInCommand(decision.start.command);
    if (port) decision.ports.push({ value: port, rank: 0, evidence: decision.start.evidence });
  }
  const entryScan = entry && input.scanned.find((s) => s.file === entry.file)?.scan;
  const bareRun = entryScan?.markers.get('run-no-address');
  if (bareRun && entryScan?.hits.some((h) => h.rule.name === 'gin')) {
    decision.ports.push(
      defaultPort(8080, "Gin's Run() without an address listens on :8080 (or $PORT when set)", bareRun, 'PORT'),
    );
  }
  return decision;
}
