/**
 * Cause 2 (Node): an ES-module app (`"type": "module"` or an .mjs entry) whose SDK set-up registers instrumentations but
 * never registers the ESM loader hook — no `register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)`, no
 * `--experimental-loader=@opentelemetry/instrumentation/hook.mjs`, no auto-instrumentations-node/register (which registers
 * it itself). `import express from 'express'` then bypasses the require hooks: seen at runtime as the http SERVER span
 * arriving (http is still required by express's CommonJS code) with no span from the express instrumentation.
 */
import { editFile } from '../../plan/proposal-builders.js';
import type { Proposal } from '../../types/proposal.js';
import { inService } from '../../plan/context.js';
import type { Service } from '../../types/scan.js';
import { lineNumberAt, lineTextAt } from '../../repo/text.js';
import type { CheckContext } from '../../verify/check.js';
import { evidence, type SourceFile } from '../../source-reading/code.js';
import { readText } from '../../source-reading/repo-files.js';
import { sdkSetup, type StartCommand } from '../../source-reading/sdk-setup.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';
import { headOf } from '../finding-helpers.js';
import {
  importedLibraries,
  missingScopes,
  registeredFor,
  registersHttp,
  runtimeEvidence,
  startEvidence,
  type ImportedLibrary,
} from './bundled-code.js';

const ID = 'esm-without-loader-hook' as const;
const HOOK = /(?:@opentelemetry\/instrumentation|import-in-the-middle)\/hook\.mjs/;
const REGISTERS_INSTRUMENTATIONS =
  /\binstrumentations\s*:|registerInstrumentations\s*\(|getNodeAutoInstrumentations\s*\(|\w+Instrumentation\s*\(/;
const SETUP_CALL = /new\s+NodeSDK\s*\(|registerInstrumentations\s*\(|\bsdk\.start\s*\(/;

export interface EsmWithoutHook {
  service: Service;
  /** Why the app is an ES module: the package.json "type" line or the .mjs entry. */
  esm: DoctorEvidence;
  setupFile: SourceFile;
  setupAt: DoctorEvidence;
  start?: StartCommand;
  imports: ImportedLibrary[];
  frameworks: string[];
  http: boolean;
}

async function esmEvidence(
  ctx: CheckContext,
  service: Service,
  starts: StartCommand[],
  setupFile: SourceFile,
): Promise<DoctorEvidence | undefined> {
  const rel = inService(service, 'package.json');
  const pkg = await readText(ctx, rel);
  if (pkg !== undefined) {
    const m = /"type"\s*:\s*"module"/.exec(pkg);
    if (m)
      return {
        file: rel,
        line: lineNumberAt(pkg, m.index),
        text: lineTextAt(pkg, m.index),
        note: 'the package is an ES module ("type": "module")',
      };
  }
  const mjs = starts.find((s) => /\bnode\b[^&|;]*\s[\w./-]+\.mjs\b/.test(s.command));
  if (mjs) return startEvidence(mjs, 'the entry is an .mjs ES module');
  if (service.entrypoint?.file.endsWith('.mjs'))
    return { ...service.entrypoint.evidence, note: `the entry ${service.entrypoint.file} is an ES module` };
  if (setupFile.path.endsWith('.mjs'))
    return { file: setupFile.path, line: 1, note: 'the SDK set-up is an .mjs ES module' };
  return undefined;
}

/** The ESM services whose set-up registers instrumentations without the loader hook. */
export async function esmWithoutHook(ctx: CheckContext): Promise<EsmWithoutHook[]> {
  const out: EsmWithoutHook[] = [];
  for (const service of ctx.services.filter((s) => s.language === 'node')) {
    const setup = await sdkSetup(ctx, service);
    if (setup.agentStart) continue; // auto-instrumentations-node/register registers the hook itself
    const setupFile = setup.setupFiles.find((f) => REGISTERS_INSTRUMENTATIONS.test(f.code));
    if (!setupFile) continue;
    if (setup.files.some((f) => HOOK.test(f.code) || /auto-instrumentations-node\/register/.test(f.code))) continue;
    if (setup.starts.some((s) => HOOK.test(s.command))) continue;
    const esm = await esmEvidence(ctx, service, setup.starts, setupFile);
    if (!esm) continue;
    const call = SETUP_CALL.exec(setupFile.code) ?? REGISTERS_INSTRUMENTATIONS.exec(setupFile.code);
    const at = evidence(setupFile, call?.index ?? 0);
    const base = setupFile.path.replace(/^.*\//, '');
    const start =
      setup.starts.find((s) => s.command.includes(base)) ?? setup.starts.find((s) => /\bnode\b/.test(s.command));
    const imports = importedLibraries(setup.files);
    out.push({
      service,
      esm,
      setupFile,
      setupAt: {
        file: at.file,
        line: at.line,
        ...(at.text ? { text: at.text } : {}),
        note: 'the SDK set-up registers instrumentations here, and no ESM loader hook anywhere',
      },
      ...(start ? { start } : {}),
      imports,
      frameworks: registeredFor(
        setup.files,
        setup.starts,
        imports.map((i) => i.name),
      ),
      http: registersHttp(setup.files, setup.starts),
    });
  }
  return out;
}

/** The edit registering the hook at the top of the set-up file (ESM or CommonJS syntax, as the file is written). */
function hookEdit(s: EsmWithoutHook): Proposal[] {
  const file = s.setupFile;
  const lines = file.text.split('\n');
  const first = lines.find(
    (l) =>
      l.trim() !== '' &&
      !l.startsWith('#!') &&
      !/^\s*(['"])use strict\1;?\s*$/.test(l) &&
      !/^\s*(?:\/\/|\/\*|\*)/.test(l),
  );
  if (!first || file.text.split(first).length !== 2) return [];
  const esmSyntax = /^\s*(?:import|export)\s/m.test(file.code) && !/\brequire\s*\(/.test(file.code);
  const register = esmSyntax
    ? "import { register } from 'node:module';\nregister('@opentelemetry/instrumentation/hook.mjs', import.meta.url);"
    : "require('node:module').register('@opentelemetry/instrumentation/hook.mjs', require('node:url').pathToFileURL(__filename));";
  return [
    editFile(
      headOf(
        ID,
        s.service,
        `Register the OpenTelemetry ESM loader hook in ${s.service.name}`,
        "ES-module imports bypass the require hooks; @opentelemetry/instrumentation's hook.mjs lets the instrumentations patch them",
        'auto-instrumentation',
      ),
      file.path,
      [{ old: first, new: `${register}\n${first}` }],
    ),
  ];
}

function evidenceOf(s: EsmWithoutHook, frameworks: string[]): DoctorEvidence[] {
  return [
    s.esm,
    s.setupAt,
    ...(s.start
      ? [
          startEvidence(
            s.start,
            `started with \`${s.start.command}\`, without a loader hook (--experimental-loader / module.register)`,
          ),
        ]
      : []),
    ...s.imports
      .filter((i) => frameworks.includes(i.name))
      .map((i) => ({
        file: i.file,
        line: i.line,
        text: i.text,
        note: `${i.name} is imported here, through the ESM loader`,
      })),
  ];
}

export const esmWithoutHookCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    return (await esmWithoutHook(ctx)).map((s) => ({
      cause: ID,
      service: s.service.id,
      summary: `${s.service.name}: an ES-module app without the OpenTelemetry loader hook, so ${s.frameworks.length > 0 ? s.frameworks.join(', ') : 'its imported libraries'} ${s.frameworks.length > 1 ? 'are' : 'is'} never patched`,
      evidence: evidenceOf(s, s.frameworks),
      confidence: 'medium' as const,
      proposals: hookEdit(s),
    }));
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    for (const s of await esmWithoutHook(ctx)) {
      const missing = missingScopes(run, s.service, s.frameworks, s.http);
      if (missing.length === 0) continue;
      const lost = [...new Set(missing.flatMap((m) => m.missing))];
      out.push({
        cause: ID,
        service: s.service.id,
        summary: `${s.service.name}: an ES-module app without the OpenTelemetry loader hook — its probed requests made no span from ${lost.join(', ')}`,
        evidence: runtimeEvidence(missing), // merged with the static finding's evidence
        confidence: 'high',
        proposals: hookEdit(s),
      });
    }
    return out;
  },
};
