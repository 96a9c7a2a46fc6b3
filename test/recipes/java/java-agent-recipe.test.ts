/**
 * The Java step-2 recipe on Spring Boot services in a temp dir (no build): the agent is proposed for a plain service and
 * the proposals apply; a service that already has the OpenTelemetry agent, the Spring Boot starter, a Micrometer Tracing
 * bridge or another vendor's agent gets a note saying what is there, and nothing that would add a second tracer.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { javaRecipes } from '../../../src/lang/java/recipes/index.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

function pom(extraDependency = '', jvmArguments = ''): string {
  const conf = jvmArguments
    ? `\n        <configuration><jvmArguments>${jvmArguments}</jvmArguments></configuration>`
    : '';
  return `<project>
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.5.7</version></parent>
  <artifactId>greeter</artifactId>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>${extraDependency}
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

async function repo(pomText: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tg-java-recipe-'));
  made.push(root);
  await mkdir(path.join(root, 'src/main/java/demo'), { recursive: true });
  await writeFile(path.join(root, 'pom.xml'), pomText);
  await writeFile(
    path.join(root, 'src/main/java/demo/App.java'),
    'package demo;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n@SpringBootApplication\npublic class App { public static void main(String[] a) {} }\n',
  );
  return root;
}

const dep = (group: string, artifact: string) =>
  `\n    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId></dependency>`;

describe('java-auto-instrumentation', () => {
  it('proposes otel-agent.properties and the pom edit; they apply, and re-planning then proposes nothing', async () => {
    const root = await repo(pom());
    const plan = await planIn(root, 'auto-instrumentation', { backend: 'local' }, { recipes: javaRecipes });
    expect(plan.proposals.map((p) => p.id)).toEqual(['greeter:agent-config', 'greeter:attach-agent']);
    await applyIn(root, plan.proposals);
    const again = await planIn(root, 'auto-instrumentation', { backend: 'local' }, { recipes: javaRecipes });
    expect(again.proposals).toEqual([]);
  });

  const cases: [string, string, RegExp][] = [
    [
      'the OpenTelemetry Spring Boot starter',
      pom(dep('io.opentelemetry.instrumentation', 'opentelemetry-spring-boot-starter')),
      /OpenTelemetry Spring Boot starter/,
    ],
    [
      'a Micrometer Tracing OpenTelemetry bridge',
      pom(dep('io.micrometer', 'micrometer-tracing-bridge-otel')),
      /Micrometer Tracing with its OpenTelemetry bridge/,
    ],
    [
      'a Micrometer Tracing Brave bridge',
      pom(dep('io.micrometer', 'micrometer-tracing-bridge-brave')),
      /Micrometer Tracing with its Brave bridge/,
    ],
    ['the Datadog tracer', pom(dep('com.datadoghq', 'dd-trace-api')), /dd-trace/],
    [
      'the OpenTelemetry agent fetched but not attached',
      pom(dep('io.opentelemetry.javaagent', 'opentelemetry-javaagent')),
      /OpenTelemetry Java agent \(fetched by the build\)[\s\S]*no start of the JVM attaches it/,
    ],
  ];
  for (const [what, text, said] of cases) {
    it(`says what is there instead of adding a second tracer: ${what}`, async () => {
      const plan = await planIn(
        await repo(text),
        'auto-instrumentation',
        { backend: 'local' },
        { recipes: javaRecipes },
      );
      expect(plan.proposals.map((p) => p.change.kind)).toEqual(['note']);
      const note = plan.proposals[0]!;
      expect(`${note.title}\n${note.change.kind === 'note' ? note.change.text : ''}`).toMatch(said);
    });
  }
});
