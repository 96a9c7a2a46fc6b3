/**
 * The scan's Python part: pyproject.toml, Pipfile, requirements, setup.py (and setup.cfg for the name), then the
 * start/entry decision (detect.ts), reading manage.py for Django.
 */
import type { Dependency } from '../../repo/manifests/dependency.js';
import { pythonServiceName, setupCfgName } from '../../repo/detect/service-name.js';
import { evidenceOf, joinRel } from '../../repo/text.js';
import type { LanguageScanner, ServiceFacts } from '../language.js';
import { decidePython } from './detect.js';
import { PYTHON_AGENTS, PYTHON_TABLE } from './libraries.js';
import { parseRequirements, parseSetupPy, parseToml } from './manifest.js';

export const pythonScanner: LanguageScanner = {
  table: PYTHON_TABLE,
  agents: PYTHON_AGENTS,
  async readManifests(files): Promise<ServiceFacts> {
    let name: string | undefined;
    const dependencies: Dependency[] = [];
    for (const m of files.manifests) {
      if (m.kind === 'manage.py') continue; // read as a source file, and by decide() below
      const text = await files.read(m.file, true);
      if (text === undefined) continue;
      if (m.kind === 'pyproject.toml' || m.kind === 'Pipfile') {
        const parsed = parseToml(m.file, text, m.kind === 'Pipfile' ? 'pipfile' : 'pyproject');
        if ('error' in parsed) files.problem(m.file, parsed.error);
        else {
          name ??= parsed.name;
          dependencies.push(...parsed.dependencies);
        }
      } else if (m.kind === 'requirements.txt') {
        dependencies.push(...parseRequirements(m.file, text).dependencies);
      } else if (m.kind === 'setup.py') {
        const parsed = parseSetupPy(m.file, text);
        name ??= parsed.name;
        dependencies.push(...parsed.dependencies);
      }
    }
    const cfgPath = joinRel(files.root, 'setup.cfg');
    if (name === undefined && files.exists(cfgPath)) {
      const cfg = await files.read(cfgPath);
      if (cfg !== undefined) name = setupCfgName(cfg);
    }
    const managePy = files.manifests.find((m) => m.kind === 'manage.py')?.file;
    let manageText: string | undefined;
    return {
      ...(name !== undefined && { name }),
      dependencies,
      commandLines: [],
      configPorts: [],
      async decide(input) {
        manageText = managePy ? await files.read(managePy) : undefined;
        const managePyEvidence =
          managePy && manageText ? evidenceOf(managePy, manageText, /execute_from_command_line\(|__main__/) : undefined;
        return decidePython({ ...input, ...(managePy && { managePy }), ...(managePyEvidence && { managePyEvidence }) });
      },
      nameFromCode: async (entry) =>
        pythonServiceName(files.root, { ...(manageText !== undefined && { manageText }), ...(entry && { entry }) }),
      serviceFields: () => ({}),
    };
  },
};
