import type { Finding, ScanResult, Service } from '../types/scan.js';

const names = (findings: Finding[]) => [...new Set(findings.map((finding) => finding.name))].join(', ');

function describeService(service: Service): string[] {
  const language = service.language === 'node' && service.typescript ? 'node (typescript)' : service.language;
  const lines = [
    `${service.name}  [${service.root}]  ${language}${service.frameworks.length ? ` · ${names(service.frameworks)}` : ''}`,
  ];
  const add = (label: string, value: string | undefined) => {
    if (value) lines.push(`    ${label.padEnd(10)} ${value}`);
  };
  add('entry', service.entrypoint?.file);
  add(
    'start',
    service.start
      ? `${service.start.command}  (${service.start.source}${service.start.why ? `; ${service.start.why}` : ''})`
      : undefined,
  );
  add(
    'port',
    service.port
      ? service.port.frameworkDefault
        ? `${service.port.value}  (framework default: ${service.port.frameworkDefault}; ${service.port.evidence.file}:${service.port.evidence.line})`
        : `${service.port.value}  (${service.port.evidence.file}:${service.port.evidence.line})`
      : undefined,
  );
  add('http out', names(service.httpClients));
  add('queues', names(service.queueClients));
  add('databases', names(service.dbClients));
  add('logging', names(service.logging));
  add('tracing', service.tracing.length ? `${names(service.tracing)} (already present)` : 'none yet');
  const none = service.noRecipes;
  if (none) {
    add(
      'recipes',
      `none yet: trace-guide has no recipes for ${none.label} (found by ${none.evidence.file}:${none.evidence.line})`,
    );
    add('instead', `${none.option}: ${none.packages.join(', ')}`);
    add('how', none.how);
    add('docs', none.docs);
  }
  return lines;
}

/** The scan as a person reads it. */
export function formatScan(scan: ScanResult): string {
  const lines = [
    `${scan.root}: ${scan.services.length} service(s) in ${scan.fileCount} file(s)${scan.usedGit ? ' (git index)' : ''}, scanned in ${Math.round(scan.durationMs)} ms`,
  ];
  if (scan.services.length === 0) {
    lines.push(
      '',
      'No service was recognised. trace-guide looks for package.json, requirements.txt / pyproject.toml / Pipfile / manage.py,',
      'go.mod, pom.xml and build.gradle (and lists *.csproj, Gemfile, composer.json, Cargo.toml, build.sbt and mix.exs',
      'services, for which it has no recipes yet): run it in (or point it at) the folder of your services.',
    );
  }
  for (const service of scan.services) lines.push('', ...describeService(service));
  if (scan.problems.length > 0) {
    lines.push('', 'Could not read:');
    for (const problem of scan.problems) lines.push(`  ${problem.file}: ${problem.message}`);
  }
  return lines.join('\n');
}
