import React from 'react';
import { Box, Text } from 'ink';
import { safeLine } from '../../core/sanitize-terminal.js';
import type { Finding, ScanResult } from '../../types/scan.js';

const names = (findings: Finding[]) => [...new Set(findings.map((finding) => finding.name))].join(', ');

/** One line per service: where, what, how it starts, and whether tracing is already there. */
export function ScanSummary({ scan, maxServices = 8 }: { scan: ScanResult; maxServices?: number }) {
  if (scan.services.length === 0) {
    return (
      <Text color="yellow">
        No service found in this folder (looked for package.json, requirements.txt, pyproject.toml, go.mod, pom.xml,
        build.gradle, *.csproj, Gemfile, composer.json, Cargo.toml, build.sbt, mix.exs).
      </Text>
    );
  }
  const shown = scan.services.slice(0, maxServices);
  return (
    <Box flexDirection="column">
      <Text>
        {scan.services.length} service(s) · {scan.fileCount} files · {Math.round(scan.durationMs)} ms
      </Text>
      {shown.map((service) => {
        const stack = [service.language + (service.typescript ? '/ts' : ''), names(service.frameworks)]
          .filter(Boolean)
          .join(' · ');
        const where = [service.entrypoint?.file, service.port ? `:${service.port.value}` : undefined]
          .filter(Boolean)
          .join(' ');
        return (
          <Text key={service.id} wrap="truncate-end">
            {'  '}
            <Text bold>{safeLine(service.name)}</Text> <Text dimColor>{safeLine(service.root)}</Text> {stack}
            {service.noRecipes ? (
              <Text color="yellow"> · no recipes yet (instead: {service.noRecipes.option})</Text>
            ) : null}
            {where ? <Text dimColor> {safeLine(where)}</Text> : null}
            {service.tracing.length > 0 ? <Text color="yellow"> tracing: {names(service.tracing)}</Text> : null}
          </Text>
        );
      })}
      {scan.services.length > shown.length ? (
        <Text dimColor> … and {scan.services.length - shown.length} more (trace-guide scan)</Text>
      ) : null}
      {scan.problems.length > 0 ? (
        <Text color="yellow">
          {scan.problems.length} file(s) could not be read: {safeLine(scan.problems[0]!.file)}:{' '}
          {safeLine(scan.problems[0]!.message)}
        </Text>
      ) : null}
    </Box>
  );
}
