/**
 * Java manifests: pom.xml, build.gradle(.kts), and Spring's application.properties / application.yml for the port.
 * Read with patterns: we need dependency coordinates and a few markers, not a full model of the build.
 */
import type { Evidence } from '../../types/scan.js';
import { evidenceAt } from '../../repo/text.js';
import { toPort } from '../../repo/detect/matcher.js';
import type { Dependency } from '../../repo/manifests/dependency.js';

export interface JavaManifest {
  name?: string;
  /** 'groupId:artifactId'. */
  dependencies: Dependency[];
  /** The Spring Boot plugin / parent line, when the build runs Spring Boot. */
  springBoot?: Evidence;
  /** Declares sub-modules (maven <modules>, or a Gradle build with subprojects) — an aggregator when it has no code. */
  aggregator: boolean;
}

function stripXmlComments(text: string): string {
  // Same length, so offsets still point at the right lines.
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

export function parsePom(file: string, raw: string): JavaManifest | { error: string } {
  if (!/<project[\s>]/.test(raw)) return { error: 'pom.xml has no <project> element' };
  if (!raw.includes('</project>')) return { error: 'pom.xml is not closed (no </project>)' };
  const text = stripXmlComments(raw);
  const out: JavaManifest = { dependencies: [], aggregator: /<modules>\s*<module>/.test(text) };
  let springStrength = 0;
  const tag = (s: string, t: string) => new RegExp(`<${t}>\\s*([^<\\s]+)\\s*</${t}>`).exec(s)?.[1];

  for (const m of text.matchAll(/<(dependency|plugin|parent)>([\s\S]*?)<\/\1>/g)) {
    const group = tag(m[2]!, 'groupId') ?? (m[1] === 'plugin' ? 'org.apache.maven.plugins' : undefined);
    const artifact = tag(m[2]!, 'artifactId');
    if (!group || !artifact) continue;
    const at = m.index + m[0].indexOf('<artifactId>');
    const evidence = evidenceAt(file, raw, at);
    if (group === 'org.springframework.boot') {
      // Strongest evidence that the build runs Spring Boot: the plugin, then the parent, then a starter.
      const strength = { plugin: 3, parent: 2, dependency: 1 }[m[1] as 'plugin' | 'parent' | 'dependency'];
      if (strength > springStrength) {
        out.springBoot = evidence;
        springStrength = strength;
      }
    }
    if (m[1] === 'dependency') out.dependencies.push({ name: `${group}:${artifact}`, evidence });
  }
  // The project's own artifactId: the first one outside <parent>, <dependencies>, <build>.
  const own = text
    .replace(/<parent>[\s\S]*?<\/parent>/g, '')
    .replace(/<dependencies>[\s\S]*?<\/dependencies>/g, '')
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, '')
    .replace(/<build>[\s\S]*?<\/build>/g, '');
  const name = tag(own, 'artifactId');
  if (name) out.name = name;
  return out;
}

const GRADLE_DEP =
  /\b(?:implementation|api|compileOnly|runtimeOnly|annotationProcessor|testImplementation|developmentOnly|compile|runtime)\s*\(?\s*(?:platform\()?\s*["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']/g;

export function parseGradle(file: string, text: string): JavaManifest {
  const out: JavaManifest = { dependencies: [], aggregator: /\bsubprojects\s*\{|\ballprojects\s*\{/.test(text) };
  for (const m of text.matchAll(GRADLE_DEP)) {
    out.dependencies.push({ name: `${m[1]}:${m[2]}`, evidence: evidenceAt(file, text, m.index) });
  }
  const plugin =
    /(?:id\s*\(?\s*["']org\.springframework\.boot["']|apply\s+plugin\s*:\s*["']org\.springframework\.boot["']|org\.springframework\.boot:spring-boot-gradle-plugin)/.exec(
      text,
    );
  if (plugin) out.springBoot = evidenceAt(file, text, plugin.index);
  return out;
}

/** `server.port` from application.properties (`server.port=8081`, `server.port=${PORT:8081}`). */
export function portFromProperties(file: string, text: string): { value: number; evidence: Evidence } | undefined {
  const m = /^[ \t]*server\.port[ \t]*[=:][ \t]*(?:\$\{[\w.]+:)?(\d{1,5})/m.exec(text);
  const value = toPort(m?.[1]);
  return m && value ? { value, evidence: evidenceAt(file, text, m.index) } : undefined;
}

/** `server: port:` (nested) or `server.port:` (flat key) from application.yml. */
export function portFromYaml(file: string, text: string): { value: number; evidence: Evidence } | undefined {
  const lines = text.split('\n');
  let inServer = false;
  let serverIndent = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (line.trim() === '---') {
      inServer = false;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const flat = /^\s*server\.port\s*:\s*["']?(?:\$\{[\w.]+:)?(\d{1,5})/.exec(line);
    if (flat) {
      const value = toPort(flat[1]);
      if (value) return { value, evidence: { file, line: i + 1, text: lines[i]!.trim() } };
    }
    if (/^\s*server\s*:\s*$/.test(line)) {
      inServer = true;
      serverIndent = indent;
      continue;
    }
    if (inServer && indent <= serverIndent) inServer = false;
    if (inServer) {
      const m = /^\s*port\s*:\s*["']?(?:\$\{[\w.]+:)?(\d{1,5})/.exec(line);
      const value = toPort(m?.[1]);
      if (value) return { value, evidence: { file, line: i + 1, text: lines[i]!.trim() } };
    }
  }
  return undefined;
}
