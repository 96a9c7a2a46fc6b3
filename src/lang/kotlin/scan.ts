/**
 * Kotlin: a Maven or Gradle build whose sources are mostly .kt (repo/services.ts rule 4). Listed, no recipes yet: the
 * evidence is the Kotlin plugin line of the build, findings from the Gradle dependency coordinates.
 */
import type { Dependency } from '../../repo/manifests/dependency.js';
import { lineEvidence, listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('kotlin', [
  packageRule('ktor', 'framework', ['io.ktor:ktor-server-*']),
  packageRule('spring-boot', 'framework', [
    'org.springframework.boot:spring-boot-starter-web',
    'org.springframework.boot:spring-boot-starter-webflux',
  ]),
  packageRule('ktor-client', 'http', ['io.ktor:ktor-client-*']),
  packageRule('exposed', 'db', ['org.jetbrains.exposed:*']),
  packageRule('opentelemetry', 'tracing', ['io.opentelemetry:*', 'io.opentelemetry.instrumentation:*']),
]);

const KOTLIN_PLUGIN = /kotlin\s*\(\s*"|org\.jetbrains\.kotlin|kotlin-maven-plugin/;

export const kotlinScanner = listedScanner(TABLE, (kind, file, text) => {
  const dependencies: Dependency[] = [];
  if (kind === 'build.gradle') {
    text.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(/["']([\w.-]+:[\w.-]+)(?::[^"']*)?["']/g)) {
        dependencies.push({ name: m[1]!, evidence: { file, line: i + 1, text: line.trim() } });
      }
    });
  }
  const evidence = lineEvidence(file, text, KOTLIN_PLUGIN);
  return { ...(evidence && { evidence }), dependencies };
});
