/**
 * How a Java service is traced, as far as its build and start files say: the OpenTelemetry Java agent attached with
 * -javaagent: (in spring-boot-maven-plugin's jvmArguments, a Dockerfile, a Procfile, JAVA_TOOL_OPTIONS, the start
 * command), the agent's configuration file (-Dotel.javaagent.configuration-file) with its settings under their OTEL_*
 * names, and the OpenTelemetry Spring Boot starter. The static checks of step 2 read Java services through this.
 */
import type { Evidence, Service } from '../types/scan.js';
import { inService } from '../plan/context.js';
import { lineNumberAt, lineTextAt } from '../repo/text.js';
import type { SourceContext } from './source-context.js';
import { readText } from './repo-files.js';
import type { Setting } from './otel-settings.js';

export interface JavaAgentSetup {
  /** Where the OpenTelemetry agent is attached with -javaagent:. */
  attached?: Evidence;
  /** Where another agent (-javaagent: of something else) is attached, for the messages. */
  otherAgent?: Evidence;
  /** The agent's configuration file, and the settings in it (otel.x.y → OTEL_X_Y). */
  configFile?: string;
  settings: Setting[];
  /** The OpenTelemetry Spring Boot starter in the build. */
  starter?: Evidence;
}

const ATTACH = /-javaagent:\S*opentelemetry-javaagent[^\s<"']*/;
const ANY_AGENT = /-javaagent:\S+/;
const CONFIG_FILE = /-Dotel\.javaagent\.configuration-file=(\S+?)(?=[\s<"']|$)/;

export function javaServices(ctx: Pick<SourceContext, 'services'>): Service[] {
  return ctx.services.filter((s) => s.language === 'java');
}

function blankXmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

function at(file: string, text: string, index: number): Evidence {
  return { file, line: lineNumberAt(text, index), text: lineTextAt(text, index) };
}

/** The settings of a Java properties file, as OTEL_* names (otel.exporter.otlp.endpoint → OTEL_EXPORTER_OTLP_ENDPOINT). */
export function agentProperties(file: string, text: string): Setting[] {
  const out: Setting[] = [];
  for (const m of text.matchAll(/^[ \t]*(otel\.[\w.-]+)[ \t]*[=:][ \t]*(.*?)[ \t]*$/gm)) {
    out.push({
      name: m[1]!.toUpperCase().replace(/[.-]/g, '_'),
      value: m[2]!,
      evidence: at(file, text, m.index + m[0].indexOf('otel.')),
    });
  }
  return out;
}

export async function javaAgentSetup(
  ctx: Pick<SourceContext, 'root' | 'repo' | 'services'>,
  service: Service,
): Promise<JavaAgentSetup> {
  const out: JavaAgentSetup = { settings: [] };
  const sources: { file: string; text: string }[] = [];
  for (const name of ['pom.xml', 'build.gradle', 'build.gradle.kts', 'Dockerfile', 'Procfile', '.env']) {
    const rel = inService(service, name);
    const raw = await readText(ctx, rel);
    if (raw !== undefined) sources.push({ file: rel, text: name === 'pom.xml' ? blankXmlComments(raw) : raw });
  }
  if (service.start) sources.push({ file: service.start.evidence.file, text: service.start.command });
  let configRef: string | undefined;
  for (const { file, text } of sources) {
    const attach = ATTACH.exec(text);
    if (attach && !out.attached) {
      out.attached = at(file, text, attach.index);
      const line = lineTextAt(text, attach.index);
      configRef ??= CONFIG_FILE.exec(line)?.[1];
    } else if (!attach) {
      const other = ANY_AGENT.exec(text);
      if (other && !out.otherAgent) out.otherAgent = at(file, text, other.index);
    }
    const starter = /opentelemetry-spring-boot-starter/.exec(text);
    if (starter && !out.starter) out.starter = at(file, text, starter.index);
  }
  if (configRef) {
    const rel = configRef.replace(/^\$\{project\.basedir\}\//, '').replace(/^\.\//, '');
    if (!rel.includes('${') && !rel.startsWith('/')) {
      const file = inService(service, rel);
      const text = await readText(ctx, file);
      if (text !== undefined) {
        out.configFile = file;
        out.settings = agentProperties(file, text);
      }
    }
  }
  return out;
}
