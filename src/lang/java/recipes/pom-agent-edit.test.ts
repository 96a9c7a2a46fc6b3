import { describe, expect, it } from 'vitest';
import { applyTextEdits } from '../../../edit/text-edit.js';
import { agentJvmArguments, indentUnit, pomAgentEdit } from './pom-agent-edit.js';

const SETTINGS = { agentVersion: '2.31.1', dependencyPluginVersion: '3.11.0', configFile: 'otel-agent.properties' };

function pom(build: string, unit = '    '): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    `${unit}<modelVersion>4.0.0</modelVersion>`,
    `${unit}<!-- the app -->`,
    `${unit}<artifactId>greeter</artifactId>`,
    ...(build ? [build] : []),
    '</project>',
    '',
  ].join('\n');
}

function applied(text: string): string {
  const edit = pomAgentEdit(text, SETTINGS);
  if (edit.kind !== 'edits') throw new Error(`expected edits, got: ${edit.reason}`);
  const result = applyTextEdits(text, edit.pairs);
  if (!result.ok) throw new Error(result.message);
  return result.content;
}

describe('pomAgentEdit', () => {
  it('attaches the agent to an existing spring-boot-maven-plugin and adds the copy plugin last, keeping the rest', () => {
    const text = pom(
      [
        '    <build>',
        '        <plugins>',
        '            <plugin>',
        '                <groupId>org.springframework.boot</groupId>',
        '                <artifactId>spring-boot-maven-plugin</artifactId>',
        '            </plugin>',
        '        </plugins>',
        '    </build>',
      ].join('\n'),
    );
    const out = applied(text);
    expect(out).toContain(
      `                <artifactId>spring-boot-maven-plugin</artifactId>\n                <configuration>\n                    <jvmArguments>${agentJvmArguments('otel-agent.properties')}</jvmArguments>\n                </configuration>\n            </plugin>\n            <plugin>\n                <!-- Fetches`,
    );
    expect(out).toContain(
      '                                    <artifactId>opentelemetry-javaagent</artifactId>\n                                    <version>2.31.1</version>',
    );
    expect(out).toMatch(/<\/plugin>\n {8}<\/plugins>\n {4}<\/build>\n<\/project>\n$/);
    // Everything the user wrote is still there, in order.
    expect(out.startsWith(text.slice(0, text.indexOf('    <build>')))).toBe(true);
  });

  it("adds a jvmArguments line to an existing plugin configuration, in the pom's two-space indent", () => {
    const text = pom(
      [
        '  <build>',
        '    <plugins>',
        '      <plugin>',
        '        <groupId>org.springframework.boot</groupId>',
        '        <artifactId>spring-boot-maven-plugin</artifactId>',
        '        <configuration>',
        '          <mainClass>demo.App</mainClass>',
        '        </configuration>',
        '      </plugin>',
        '      <plugin>',
        '        <artifactId>maven-surefire-plugin</artifactId>',
        '      </plugin>',
        '    </plugins>',
        '  </build>',
      ].join('\n'),
      '  ',
    );
    expect(indentUnit(text)).toBe('  ');
    const out = applied(text);
    expect(out).toContain(`        <configuration>\n          <jvmArguments>-javaagent:`);
    expect(out).toContain('          <mainClass>demo.App</mainClass>');
    expect(out).toContain(
      '        <artifactId>maven-surefire-plugin</artifactId>\n      </plugin>\n      <plugin>\n        <!-- Fetches',
    );
  });

  it('adds a <build> when the pom has none, and both plugins in it', () => {
    const out = applied(pom('', '\t'));
    expect(out).toMatch(
      /\t<build>\n\t\t<plugins>\n\t\t\t<plugin>\n\t\t\t\t<groupId>org.springframework.boot<\/groupId>/,
    );
    expect(out).toContain('<goal>copy</goal>');
    expect(out.endsWith('\t</build>\n</project>\n')).toBe(true);
  });

  it('leaves plugins in <pluginManagement> and <profiles> alone', () => {
    const text = pom(
      [
        '    <build>',
        '        <pluginManagement>',
        '            <plugins>',
        '                <plugin>',
        '                    <groupId>org.springframework.boot</groupId>',
        '                    <artifactId>spring-boot-maven-plugin</artifactId>',
        '                </plugin>',
        '            </plugins>',
        '        </pluginManagement>',
        '    </build>',
      ].join('\n'),
    );
    const out = applied(text);
    // The managed plugin is untouched; a build <plugins> with a new spring-boot-maven-plugin is added.
    expect(out).toContain(
      '                    <artifactId>spring-boot-maven-plugin</artifactId>\n                </plugin>\n            </plugins>\n        </pluginManagement>\n        <plugins>',
    );
    expect(out.match(/<jvmArguments>/g)).toHaveLength(1);
  });

  it('asks the user to add the agent when jvmArguments are already set', () => {
    const text = pom(
      [
        '    <build>',
        '        <plugins>',
        '            <plugin>',
        '                <groupId>org.springframework.boot</groupId>',
        '                <artifactId>spring-boot-maven-plugin</artifactId>',
        '                <configuration><jvmArguments>-Xmx512m</jvmArguments></configuration>',
        '            </plugin>',
        '        </plugins>',
        '    </build>',
      ].join('\n'),
    );
    const edit = pomAgentEdit(text, SETTINGS);
    expect(edit).toMatchObject({ kind: 'manual' });
    expect(edit.kind === 'manual' && edit.reason).toContain('-Xmx512m');
  });
});
