/** The scan's Java part: pom.xml or build.gradle, Spring's server.port, then the start/entry decision (detect.ts). */
import type { PortHit } from '../../repo/detect/matcher.js';
import type { Dependency } from '../../repo/manifests/dependency.js';
import type { Evidence } from '../../types/scan.js';
import { joinRel } from '../../repo/text.js';
import type { LanguageScanner, ServiceFacts } from '../language.js';
import { decideJava } from './detect.js';
import { JAVA_AGENTS, JAVA_TABLE } from './libraries.js';
import { parseGradle, parsePom, portFromProperties, portFromYaml } from './manifest.js';

const SPRING_CONFIGS = [
  'src/main/resources/application.properties',
  'src/main/resources/application.yml',
  'src/main/resources/application.yaml',
  'application.properties',
  'application.yml',
];

export const javaScanner: LanguageScanner = {
  table: JAVA_TABLE,
  agents: JAVA_AGENTS,
  async readManifests(files): Promise<ServiceFacts> {
    let name: string | undefined;
    let build: 'maven' | 'gradle' = 'maven';
    let springBoot: Evidence | undefined;
    const dependencies: Dependency[] = [];
    const hasPom = files.manifests.some((m) => m.kind === 'pom.xml');
    for (const m of files.manifests) {
      if (m.kind !== 'pom.xml' && m.kind !== 'build.gradle') continue;
      const text = await files.read(m.file, true);
      if (text === undefined) continue;
      const parsed = m.kind === 'pom.xml' ? parsePom(m.file, text) : parseGradle(m.file, text);
      if ('error' in parsed) {
        files.problem(m.file, parsed.error);
        continue;
      }
      if (m.kind === 'build.gradle' && !hasPom) build = 'gradle';
      name ??= parsed.name;
      springBoot ??= parsed.springBoot;
      dependencies.push(...parsed.dependencies);
    }
    const configPorts: PortHit[] = [];
    for (const rel of SPRING_CONFIGS) {
      const file = joinRel(files.root, rel);
      if (!files.exists(file)) continue;
      const text = await files.read(file);
      if (text === undefined) continue;
      const found = rel.endsWith('.properties') ? portFromProperties(file, text) : portFromYaml(file, text);
      if (found) configPorts.push({ ...found, rank: 1 });
    }
    return {
      ...(name !== undefined && { name }),
      dependencies,
      commandLines: [],
      configPorts,
      decide: async (input) => decideJava({ ...input, build, ...(springBoot && { springBoot }) }),
      nameFromCode: async () => undefined,
      serviceFields: () => ({}),
    };
  },
};
