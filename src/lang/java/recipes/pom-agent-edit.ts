/**
 * The pom.xml edits that fetch the OpenTelemetry Java agent and attach it to `spring-boot:run`, made on the pom's text
 * (not a re-serialised model) so the user's formatting, comments and order stay as they are:
 * - maven-dependency-plugin's `copy` goal puts io.opentelemetry.javaagent:opentelemetry-javaagent at a stable path
 *   (target/otel/opentelemetry-javaagent.jar) before the classes are compiled, so every build has it;
 * - spring-boot-maven-plugin's jvmArguments start the forked JVM with `-javaagent:` and point the agent at its
 *   configuration file, whose settings the OTEL_* environment variables and -Dotel.* system properties override.
 * Indentation follows the pom's own unit (tabs or N spaces).
 */
import type { EditPair } from '../../../types/proposal.js';

export const AGENT_GROUP = 'io.opentelemetry.javaagent';
export const AGENT_ARTIFACT = 'opentelemetry-javaagent';
/** Where the build copies the agent, relative to the module's directory (Maven's ${project.build.directory}/otel). */
export const AGENT_JAR = 'target/otel/opentelemetry-javaagent.jar';
export const COPY_EXECUTION_ID = 'copy-opentelemetry-javaagent';

export interface AgentEditSettings {
  agentVersion: string;
  dependencyPluginVersion: string;
  /** The agent's configuration file, relative to the module's directory. */
  configFile: string;
}

export type PomAgentEdit =
  | { kind: 'edits'; pairs: EditPair[]; describe: string[] }
  /** The pom states jvmArguments already (possibly from a property): the user adds the agent to them by hand. */
  | { kind: 'manual'; reason: string; jvmArguments: string };

/** The JVM arguments that attach the agent and name its configuration file. */
export function agentJvmArguments(configFile: string): string {
  return `-javaagent:\${project.build.directory}/otel/opentelemetry-javaagent.jar -Dotel.javaagent.configuration-file=\${project.basedir}/${configFile}`;
}

function blankComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** The pom's indentation unit: the indent of the first element inside <project>. */
export function indentUnit(text: string): string {
  const body = blankComments(text);
  const open = /<project\b[^>]*>/.exec(body);
  const after = open ? body.slice(open.index + open[0].length) : body;
  const m = /\n([ \t]+)</.exec(after);
  return m?.[1] ?? '    ';
}

function lineIndent(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The span of the project's own <build> (not one inside a <profile>): [start of `<build>`, end of `</build>`). */
function projectBuild(clean: string): { start: number; end: number } | undefined {
  const profiles = [...clean.matchAll(/<profiles>[\s\S]*?<\/profiles>/g)].map(
    (m) => [m.index, m.index + m[0].length] as const,
  );
  for (const m of clean.matchAll(/<build>[\s\S]*?<\/build>/g)) {
    if (profiles.some(([s, e]) => m.index >= s && m.index < e)) continue;
    return { start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/** The <plugins> of the build (not of <pluginManagement>): [start, end) of `<plugins>…</plugins>`. */
function buildPlugins(
  clean: string,
  build: { start: number; end: number },
): { start: number; end: number } | undefined {
  const inner = clean
    .slice(build.start, build.end)
    .replace(/<pluginManagement>[\s\S]*?<\/pluginManagement>/g, (c) => c.replace(/[^\n]/g, ' '));
  const m = /<plugins>[\s\S]*?<\/plugins>/.exec(inner);
  return m ? { start: build.start + m.index, end: build.start + m.index + m[0].length } : undefined;
}

function springBootPlugin(
  clean: string,
  plugins: { start: number; end: number },
): { start: number; end: number } | undefined {
  const region = clean.slice(plugins.start, plugins.end);
  for (const m of region.matchAll(/<plugin>[\s\S]*?<\/plugin>/g)) {
    if (/<artifactId>\s*spring-boot-maven-plugin\s*<\/artifactId>/.test(m[0]))
      return { start: plugins.start + m.index, end: plugins.start + m.index + m[0].length };
  }
  return undefined;
}

function indentLines(block: string, indent: string): string {
  return block
    .split('\n')
    .map((l) => (l === '' ? l : indent + l))
    .join('\n');
}

function copyPlugin(unit: string, s: AgentEditSettings): string {
  const u = (n: number) => unit.repeat(n);
  return [
    '<plugin>',
    `${u(1)}<!-- Fetches the OpenTelemetry Java agent into target/otel/ (added by trace-guide) -->`,
    `${u(1)}<groupId>org.apache.maven.plugins</groupId>`,
    `${u(1)}<artifactId>maven-dependency-plugin</artifactId>`,
    `${u(1)}<version>${s.dependencyPluginVersion}</version>`,
    `${u(1)}<executions>`,
    `${u(2)}<execution>`,
    `${u(3)}<id>${COPY_EXECUTION_ID}</id>`,
    `${u(3)}<phase>process-resources</phase>`,
    `${u(3)}<goals>`,
    `${u(4)}<goal>copy</goal>`,
    `${u(3)}</goals>`,
    `${u(3)}<configuration>`,
    `${u(4)}<artifactItems>`,
    `${u(5)}<artifactItem>`,
    `${u(6)}<groupId>${AGENT_GROUP}</groupId>`,
    `${u(6)}<artifactId>${AGENT_ARTIFACT}</artifactId>`,
    `${u(6)}<version>${s.agentVersion}</version>`,
    `${u(6)}<outputDirectory>\${project.build.directory}/otel</outputDirectory>`,
    `${u(6)}<destFileName>opentelemetry-javaagent.jar</destFileName>`,
    `${u(5)}</artifactItem>`,
    `${u(4)}</artifactItems>`,
    `${u(3)}</configuration>`,
    `${u(2)}</execution>`,
    `${u(1)}</executions>`,
    '</plugin>',
  ].join('\n');
}

function bootPlugin(unit: string, s: AgentEditSettings): string {
  return [
    '<plugin>',
    `${unit}<groupId>org.springframework.boot</groupId>`,
    `${unit}<artifactId>spring-boot-maven-plugin</artifactId>`,
    `${unit}<configuration>`,
    `${unit}${unit}<jvmArguments>${agentJvmArguments(s.configFile)}</jvmArguments>`,
    `${unit}</configuration>`,
    '</plugin>',
  ].join('\n');
}

/**
 * The edits that add the agent to a pom, or what stops them. The pom must not fetch the agent already (the caller checks
 * that and says what is there). Each edit's `old` text occurs once in the pom.
 */
export function pomAgentEdit(text: string, s: AgentEditSettings): PomAgentEdit {
  const clean = blankComments(text);
  const unit = indentUnit(text);
  const build = projectBuild(clean);
  const describe: string[] = [];

  if (!build) {
    // No <build>: add one before </project>, holding both plugins.
    const close = clean.lastIndexOf('</project>');
    const base = lineIndent(text, close);
    const block = [
      '<build>',
      `${unit}<plugins>`,
      indentLines(bootPlugin(unit, s), unit + unit),
      indentLines(copyPlugin(unit, s), unit + unit),
      `${unit}</plugins>`,
      '</build>',
    ].join('\n');
    const lineStart = text.lastIndexOf('\n', close - 1) + 1;
    const old = text.slice(lineStart);
    describe.push(
      'add a <build> with maven-dependency-plugin (copies the agent) and spring-boot-maven-plugin (attaches it)',
    );
    return { kind: 'edits', pairs: [{ old, new: `${indentLines(block, base + unit)}\n${old}` }], describe };
  }

  const plugins = buildPlugins(clean, build);
  if (!plugins) {
    const close = build.end - '</build>'.length;
    const base = lineIndent(text, build.start);
    const block = [
      '<plugins>',
      indentLines(bootPlugin(unit, s), unit),
      indentLines(copyPlugin(unit, s), unit),
      '</plugins>',
    ].join('\n');
    const lineStart = text.lastIndexOf('\n', close - 1) + 1;
    const old = text.slice(lineStart, build.end);
    if (text.split(old).length !== 2)
      return {
        kind: 'manual',
        reason: 'the end of <build> could not be placed uniquely',
        jvmArguments: agentJvmArguments(s.configFile),
      };
    describe.push('add <plugins> with maven-dependency-plugin and spring-boot-maven-plugin');
    return { kind: 'edits', pairs: [{ old, new: `${indentLines(block, base + unit)}\n${old}` }], describe };
  }

  const pairs: EditPair[] = [];
  const pluginsIndent = lineIndent(text, plugins.start);
  const boot = springBootPlugin(clean, plugins);
  let extraBoot = '';
  if (boot) {
    const pluginText = text.slice(boot.start, boot.end);
    const pluginClean = clean.slice(boot.start, boot.end);
    const pluginIndent = lineIndent(text, boot.start);
    const existing = /<jvmArguments>([\s\S]*?)<\/jvmArguments>/.exec(pluginClean);
    if (existing) {
      return {
        kind: 'manual',
        reason: `spring-boot-maven-plugin already sets <jvmArguments>${existing[1]!.trim()}</jvmArguments>`,
        jvmArguments: agentJvmArguments(s.configFile),
      };
    }
    if (
      /<executions>/.test(pluginClean) &&
      !/<\/artifactId>\s*(?:<version>[^<]*<\/version>\s*)?<configuration>/.test(pluginClean) &&
      /<configuration>/.test(pluginClean)
    ) {
      return {
        kind: 'manual',
        reason: 'spring-boot-maven-plugin is configured per execution',
        jvmArguments: agentJvmArguments(s.configFile),
      };
    }
    const jvm = `<jvmArguments>${agentJvmArguments(s.configFile)}</jvmArguments>`;
    const conf = /<configuration>[ \t]*\n?/.exec(pluginClean);
    let updated: string;
    if (conf && !/<executions>[\s\S]*<configuration>/.test(pluginClean.slice(0, conf.index + conf[0].length))) {
      const at = conf.index + conf[0].length;
      const nl = conf[0].endsWith('\n');
      updated = `${pluginText.slice(0, at)}${nl ? `${pluginIndent}${unit}${unit}${jvm}\n` : jvm}${pluginText.slice(at)}`;
    } else {
      const artifact = /<artifactId>\s*spring-boot-maven-plugin\s*<\/artifactId>(?:\s*<version>[^<]*<\/version>)?/.exec(
        pluginClean,
      )!;
      const at = artifact.index + artifact[0].length;
      updated = `${pluginText.slice(0, at)}\n${pluginIndent}${unit}<configuration>\n${pluginIndent}${unit}${unit}${jvm}\n${pluginIndent}${unit}</configuration>${pluginText.slice(at)}`;
    }
    if (text.split(pluginText).length !== 2)
      return {
        kind: 'manual',
        reason: 'spring-boot-maven-plugin appears twice',
        jvmArguments: agentJvmArguments(s.configFile),
      };
    pairs.push({ old: pluginText, new: updated });
    describe.push("spring-boot-maven-plugin starts the JVM with -javaagent: and the agent's configuration file");
  } else {
    extraBoot = `${indentLines(bootPlugin(unit, s), pluginsIndent + unit)}\n`;
    describe.push("add spring-boot-maven-plugin, starting the JVM with -javaagent: and the agent's configuration file");
  }

  // The copy plugin goes last in <plugins>: the line holding </plugins> gains it above.
  const close = plugins.end - '</plugins>'.length;
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  const closeLine = text.slice(lineStart, plugins.end);
  const insert = `${extraBoot}${indentLines(copyPlugin(unit, s), pluginsIndent + unit)}\n`;
  const bootPair = pairs[0];
  if (bootPair && text.slice(boot!.end, plugins.end).trim() === '</plugins>') {
    // The boot plugin is the last one: one edit covers it and the closing line, so the two edits do not overlap.
    const tail = text.slice(boot!.end, lineStart);
    pairs[0] = { old: `${bootPair.old}${tail}${closeLine}`, new: `${bootPair.new}${tail}${insert}${closeLine}` };
  } else {
    const anchor = `${text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart)}${closeLine}`;
    if (text.split(anchor).length !== 2)
      return {
        kind: 'manual',
        reason: 'the end of <plugins> could not be placed uniquely',
        jvmArguments: agentJvmArguments(s.configFile),
      };
    const prev = anchor.slice(0, anchor.length - closeLine.length);
    pairs.push({ old: anchor, new: `${prev}${insert}${closeLine}` });
  }
  describe.push(`maven-dependency-plugin copies ${AGENT_GROUP}:${AGENT_ARTIFACT}:${s.agentVersion} to ${AGENT_JAR}`);
  return { kind: 'edits', pairs, describe };
}
