/** The scan's Node part: package.json and tsconfig.json, then the start/entry/module-system decision (detect.ts). */
import { joinRel } from '../../repo/text.js';
import type { LanguageScanner, ServiceFacts } from '../language.js';
import { decideNode } from './detect.js';
import { NODE_AGENTS, NODE_TABLE } from './libraries.js';
import { type PackageJson, parsePackageJson, readTsConfig } from './manifest.js';

export const nodeScanner: LanguageScanner = {
  table: NODE_TABLE,
  agents: NODE_AGENTS,
  async readManifests(files): Promise<ServiceFacts | undefined> {
    let pkg: PackageJson | undefined;
    for (const m of files.manifests) {
      if (m.kind !== 'package.json') continue;
      const text = await files.read(m.file, true);
      if (text === undefined) continue;
      const parsed = parsePackageJson(m.file, text);
      if ('error' in parsed) {
        files.problem(m.file, parsed.error);
        continue;
      }
      if (!parsed.hasDepsOrScripts) return undefined; // not a service (rule in repo/services.ts)
      pkg = parsed;
    }
    const tsPath = joinRel(files.root, 'tsconfig.json');
    const tsText = files.exists(tsPath) ? await files.read(tsPath) : undefined;
    return {
      ...(pkg?.name !== undefined && { name: pkg.name }),
      dependencies: pkg?.dependencies ?? [],
      commandLines: pkg?.allScripts.map((s) => ({ command: s.body, evidence: s.evidence })) ?? [],
      configPorts: [],
      decide: async (input) =>
        decideNode({
          ...input,
          ...(pkg && { pkg }),
          ...(tsText !== undefined && { tsconfig: readTsConfig(tsText) }),
          hasTsconfig: tsText !== undefined,
        }),
      nameFromCode: async () => undefined,
      serviceFields: (decision) => ({
        typescript: decision.typescript ?? false,
        moduleSystem: decision.moduleSystem ?? 'commonjs',
      }),
    };
  },
};
