/**
 * Step 2's static checks on a Spring Boot service (no build, no JVM): the pom and otel-agent.properties the Java recipe
 * writes pass; the same service without -javaagent:, with another vendor's agent, or with an endpoint on the wrong port
 * for its protocol does not.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exporterEndpointMatchesProtocol } from '../../../src/verify/checks/static/exporter-endpoint-matches-protocol.js';
import { sdkStartsBeforeApp } from '../../../src/verify/checks/static/sdk-starts-before-app.js';
import { spansFlushedOnShutdown } from '../../../src/verify/checks/static/spans-flushed-on-shutdown.js';
import { agentJvmArguments } from '../../../src/lang/java/recipes/pom-agent-edit.js';
import { removeDir, runCheck, show } from './helpers.js';

const made: string[] = [];
afterAll(async () => {
  for (const r of made) await removeDir(r);
});

const PROPERTIES =
  'otel.service.name=greeter\notel.exporter.otlp.endpoint=http://localhost:4318\notel.exporter.otlp.protocol=http/protobuf\n';

function pom(jvmArguments: string | undefined): string {
  const conf =
    jvmArguments === undefined
      ? ''
      : `\n        <configuration><jvmArguments>${jvmArguments}</jvmArguments></configuration>`;
  return `<project>
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.5.7</version></parent>
  <artifactId>greeter</artifactId>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>${conf}
      </plugin>
    </plugins>
  </build>
</project>
`;
}

async function service(jvmArguments: string | undefined, properties = PROPERTIES): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tg-static-java-'));
  made.push(root);
  await mkdir(path.join(root, 'src/main/java/demo'), { recursive: true });
  await writeFile(path.join(root, 'pom.xml'), pom(jvmArguments));
  await writeFile(path.join(root, 'otel-agent.properties'), properties);
  await writeFile(
    path.join(root, 'src/main/java/demo/App.java'),
    'package demo;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n@SpringBootApplication\npublic class App { public static void main(String[] a) {} }\n',
  );
  return root;
}

const ATTACHED = agentJvmArguments('otel-agent.properties');

describe('Java (Spring Boot, Maven)', () => {
  it("passes sdk-starts-before-app, spans-flushed-on-shutdown and exporter-endpoint-matches-protocol with the recipe's pom", async () => {
    const root = await service(ATTACHED);
    for (const check of [sdkStartsBeforeApp, spansFlushedOnShutdown, exporterEndpointMatchesProtocol]) {
      const r = await runCheck(check, root);
      expect(r.status, show(r)).toBe('pass');
      expect(r.summary, show(r)).toMatch(/greeter/);
    }
  });

  it('sdk-starts-before-app fails for a Java service whose JVM is started without -javaagent:', async () => {
    const r = await runCheck(sdkStartsBeforeApp, await service(undefined));
    expect(r.status, show(r)).toBe('fail');
    expect(r.summary).toMatch(/no start of the JVM attaches the OpenTelemetry Java agent/);
    expect(r.fix).toMatch(/-javaagent:/);
  });

  it("sdk-starts-before-app fails when the JVM's only agent is another vendor's", async () => {
    const r = await runCheck(sdkStartsBeforeApp, await service('-javaagent:${project.basedir}/dd-java-agent.jar'));
    expect(r.status, show(r)).toBe('fail');
    expect(r.summary).toMatch(/dd-java-agent/);
  });

  it('spans-flushed-on-shutdown fails for a Java service without the agent', async () => {
    const r = await runCheck(spansFlushedOnShutdown, await service(undefined));
    expect(r.status, show(r)).toBe('fail');
  });

  it("exporter-endpoint-matches-protocol fails when the agent's file sends http/protobuf to 4317", async () => {
    const r = await runCheck(
      exporterEndpointMatchesProtocol,
      await service(ATTACHED, PROPERTIES.replace(':4318', ':4317')),
    );
    expect(r.status, show(r)).toBe('fail');
    expect(r.summary).toMatch(/port 4317 but the agent speaks http\/protobuf/);
    expect(
      r.evidence.some((e) => 'file' in e && e.file === 'otel-agent.properties'),
      show(r),
    ).toBe(true);
  });
});
