/** The scan's Go part: go.mod, then the start/entry decision (detect.ts); the name from cmd/<name>/ or the module path. */
import { goServiceName } from '../../repo/detect/service-name.js';
import type { LanguageScanner, ServiceFacts } from '../language.js';
import { decideGo } from './detect.js';
import { GO_AGENTS, GO_TABLE } from './libraries.js';
import { parseGoMod } from './manifest.js';
import type { Dependency } from '../../repo/manifests/dependency.js';

export const goScanner: LanguageScanner = {
  table: GO_TABLE,
  agents: GO_AGENTS,
  async readManifests(files): Promise<ServiceFacts> {
    let goModule: string | undefined;
    const dependencies: Dependency[] = [];
    for (const m of files.manifests) {
      if (m.kind !== 'go.mod') continue;
      const text = await files.read(m.file, true);
      if (text === undefined) continue;
      const parsed = parseGoMod(m.file, text);
      if ('error' in parsed) files.problem(m.file, parsed.error);
      else {
        goModule = parsed.module;
        dependencies.push(...parsed.dependencies);
      }
    }
    return {
      ...(goModule !== undefined && { moduleId: goModule }),
      dependencies,
      commandLines: [],
      configPorts: [],
      decide: async (input) => decideGo(input),
      nameFromCode: async (entry) => goServiceName(files.root, goModule, entry),
      serviceFields: () => ({}),
    };
  },
};
