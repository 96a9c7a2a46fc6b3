/**
 * Where a service starts the OpenTelemetry SDK: the setup files in its code, and how the process is started (the start
 * command with --require / --import, opentelemetry-instrument). Shared by the checks that need "is there an SDK at all".
 */
import type { Evidence, Service } from '../types/scan.js';
import type { SourceContext } from './source-context.js';
import { inService } from '../plan/context.js';
import { lineNumberAt, lineTextAt } from '../repo/text.js';
import { evidence, type SourceFile } from './code.js';
import { readText, serviceSources } from './repo-files.js';

export interface StartCommand {
  command: string;
  evidence: Evidence;
}

export interface SdkSetup {
  files: SourceFile[];
  /** Setup files: files that create / start the SDK's tracer provider. */
  setupFiles: SourceFile[];
  /** Every way the service is started that the repo states (start script, Procfile, scan's start). */
  starts: StartCommand[];
  /** Started with a zero-code agent: node --require/--import …/register, opentelemetry-instrument. */
  agentStart?: StartCommand;
}

const SETUP: Record<'node' | 'python' | 'go', RegExp> = {
  node: /@opentelemetry\/sdk-node|@opentelemetry\/sdk-trace-node|NodeTracerProvider|new\s+NodeSDK\b|BasicTracerProvider/,
  python: /\bTracerProvider\s*\(|set_tracer_provider\s*\(|configure_azure_monitor\s*\(/,
  go: /\bSetTracerProvider\s*\(/,
};

export async function startCommands(ctx: Pick<SourceContext, 'repo'>, service: Service): Promise<StartCommand[]> {
  const out: StartCommand[] = [];
  if (service.language === 'node') {
    const rel = inService(service, 'package.json');
    const text = await readText(ctx, rel);
    if (text !== undefined) {
      try {
        const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
        for (const name of ['start', 'start:prod', 'serve', 'dev']) {
          const cmd = scripts[name];
          if (typeof cmd !== 'string') continue;
          const at = text.indexOf(`"${name}"`);
          out.push({ command: cmd, evidence: { file: rel, line: lineNumberAt(text, at), text: lineTextAt(text, at) } });
        }
      } catch {
        /* an unreadable package.json gives no start script */
      }
    }
  }
  for (const name of ['Procfile', 'Dockerfile']) {
    const rel = inService(service, name);
    const text = await readText(ctx, rel);
    if (text === undefined) continue;
    const re = name === 'Procfile' ? /^\s*(?:web|worker|app)\s*:\s*(.+)$/gm : /^\s*(?:CMD|ENTRYPOINT)\s+(.+)$/gm;
    for (const m of text.matchAll(re))
      out.push({
        command: m[1]!.trim(),
        evidence: { file: rel, line: lineNumberAt(text, m.index), text: lineTextAt(text, m.index) },
      });
  }
  if (service.start && !out.some((s) => s.command === service.start!.command))
    out.push({ command: service.start.command, evidence: service.start.evidence });
  return out;
}

const AGENT: Record<'node' | 'python' | 'go', RegExp> = {
  node: /(?:--require|-r|--import)[=\s]+['"]?@opentelemetry\/auto-instrumentations-node\/register/,
  python: /(?:^|[\s/"'\[,])opentelemetry-instrument\b/,
  go: /$^/,
};

export async function sdkSetup(
  ctx: Pick<SourceContext, 'root' | 'repo' | 'services'>,
  service: Service,
): Promise<SdkSetup> {
  const lang = service.language as 'node' | 'python' | 'go';
  const files = await serviceSources(ctx, service);
  const setupFiles = files.filter((f) => SETUP[lang].test(f.code));
  const starts = await startCommands(ctx, service);
  const agentStart = starts.find((s) => AGENT[lang].test(s.command));
  return agentStart ? { files, setupFiles, starts, agentStart } : { files, setupFiles, starts };
}

/** Evidence for the first match of `re` in a file. */
export function firstEvidence(file: SourceFile, re: RegExp): Evidence | undefined {
  const m = re.exec(file.code);
  return m ? evidence(file, m.index) : undefined;
}

export function noSdkMessage(service: Service): string {
  return `${service.name}: no OpenTelemetry SDK setup found`;
}
