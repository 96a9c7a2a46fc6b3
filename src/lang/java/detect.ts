/**
 * Java service logic.
 * Entrypoint: the @SpringBootApplication class, else a `main` method.
 * Start: Procfile, then for Spring Boot `mvn spring-boot:run` / `gradle bootRun` (through ./mvnw or ./gradlew when the
 * wrapper is there), then Dockerfile. Port: server.port in application.properties / application.yml (read in scan.ts),
 * else Spring Boot's default 8080 for `spring-boot:run` / `bootRun`.
 */
import { portInCommand } from '../../repo/manifests/deploy.js';
import type { Evidence } from '../../types/scan.js';
import { joinRel } from '../../repo/text.js';
import { defaultPortOfCommand } from '../../repo/detect/default-ports.js';
import { type Decision, type ServiceInput, pickMarked } from '../../repo/detect/service-input.js';

export interface JavaInput extends ServiceInput {
  build: 'maven' | 'gradle';
  /** Where the build applies Spring Boot (plugin / parent / starter). */
  springBoot?: Evidence;
}

export function decideJava(input: JavaInput): Decision {
  const decision: Decision = { ports: [] };
  const entry = pickMarked(input.scanned, ['spring-boot-app', 'main'], (f) =>
    f.includes('/src/main/') || f.startsWith('src/main/') ? 0 : 1,
  );
  if (entry) decision.entrypoint = { file: entry.file, evidence: entry.evidence };

  const isSpring = input.springBoot !== undefined || input.frameworks.includes('spring-boot');
  if (input.procfile) {
    decision.start = { command: input.procfile.command, source: 'Procfile', evidence: input.procfile.evidence };
  } else if (isSpring) {
    const evidence = input.springBoot ??
      entry?.evidence ?? { file: joinRel(input.root, input.build === 'maven' ? 'pom.xml' : 'build.gradle'), line: 1 };
    if (input.build === 'maven') {
      const mvn = input.exists(joinRel(input.root, 'mvnw')) ? './mvnw' : 'mvn';
      decision.start = { command: `${mvn} spring-boot:run`, source: 'maven', evidence };
    } else {
      const gradle = input.exists(joinRel(input.root, 'gradlew')) ? './gradlew' : 'gradle';
      decision.start = { command: `${gradle} bootRun`, source: 'gradle', evidence };
    }
  } else if (input.dockerfile?.command) {
    decision.start = {
      command: input.dockerfile.command.command,
      source: 'Dockerfile',
      evidence: input.dockerfile.command.evidence,
    };
  }
  if (decision.start && (decision.start.source === 'Procfile' || decision.start.source === 'Dockerfile')) {
    const port = portInCommand(decision.start.command);
    if (port) decision.ports.push({ value: port, rank: 0, evidence: decision.start.evidence });
  }
  const byDefault = decision.start && defaultPortOfCommand(decision.start.command, decision.start.evidence);
  if (byDefault) decision.ports.push(byDefault);
  return decision;
}
