/**
 * Step 2 on a real Spring Boot 3.5 service built with Maven (spring-boot-starter-parent, one @RestController), driven
 * with the JSON CLI like the other languages: `plan` proposes otel-agent.properties and a pom.xml diff, `apply --yes`
 * writes them, and `check --step 2` runs `mvn spring-boot:run` against the built-in receiver. The pom's own build
 * fetches the real OpenTelemetry Java agent (Maven Central, cached in ~/.m2 like any Maven build) and attaches it, the
 * receiver gets the SERVER span of GET /hello and every required check of step 2 passes.
 * Before the plan is applied (the agent not attached) the same service is checked too: the start check fails and no
 * SERVER span can pass.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assertBuilt, runCli } from '../../helpers/cli.js';

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.5.7</version>
    <relativePath/>
  </parent>
  <groupId>com.example</groupId>
  <artifactId>greeter</artifactId>
  <version>0.0.1</version>
  <properties>
    <java.version>17</java.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
`;

const APP = `package demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class GreeterApplication {
    public static void main(String[] args) {
        SpringApplication.run(GreeterApplication.class, args);
    }

    @GetMapping("/hello")
    public String hello() {
        return "hello";
    }
}
`;

const STEP_2_REQUIRED = [
  'sdk-starts-before-app',
  'service-name-set',
  'exporter-endpoint-matches-protocol',
  'spans-flushed-on-shutdown',
  'http-requests-create-server-spans',
  'backend-receives-spans-from-all-services',
  'pitfall-credentials-in-spans',
];

interface CheckJson {
  steps?: Array<{ number: number; results?: Array<{ itemId: string; status: string; summary: string }> }>;
}

let dir: string;
const started = Date.now();
const timings: Record<string, number> = {};

async function cli(args: string[]): Promise<unknown> {
  const at = Date.now();
  const r = await runCli([...args, '--json'], { cwd: dir, timeoutMs: 400_000 });
  timings[args[0]!] = (timings[args[0]!] ?? 0) + (Date.now() - at);
  if (r.stdout.trim() === '')
    throw new Error(`trace-guide ${args.join(' ')} printed nothing (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  return JSON.parse(r.stdout);
}

function step2(checked: CheckJson): Map<string, { status: string; summary: string }> {
  const results = checked.steps?.find((s) => s.number === 2)?.results ?? [];
  return new Map(results.map((r) => [r.itemId, r]));
}

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'tg-spring-agent-'));
  await mkdir(path.join(dir, 'src/main/java/demo'), { recursive: true });
  await writeFile(path.join(dir, 'pom.xml'), POM);
  await writeFile(path.join(dir, 'src/main/java/demo/GreeterApplication.java'), APP);
  await writeFile(path.join(dir, '.gitignore'), 'target/\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'greeter');
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  console.log(
    `spring-boot-agent e2e: ${Math.round((Date.now() - started) / 1000)} s in all; per command (ms): ${JSON.stringify(timings)}`,
  );
});

test('without the agent attached, step 2 does not pass: the start check fails and no SERVER span arrives', async () => {
  const results = step2((await cli(['check', dir, '--step', '2'])) as CheckJson);
  expect(results.get('sdk-starts-before-app'), JSON.stringify([...results])).toMatchObject({ status: 'fail' });
  expect(results.get('sdk-starts-before-app')!.summary).toMatch(/OpenTelemetry Java agent/);
  expect(results.get('http-requests-create-server-spans')?.status).not.toBe('pass');
  expect(results.get('backend-receives-spans-from-all-services')?.status).not.toBe('pass');
}, 400_000);

test('plan → apply --yes → check: the agent fetched by the pom sends the SERVER span of GET /hello and step 2 passes', async () => {
  const planned = (await cli(['plan', dir, '--step', '2', '--set', 'backend=local'])) as {
    proposals: Array<{ id: string; change: { kind: string; path?: string }; preview?: string }>;
  };
  const byId = new Map(planned.proposals.map((p) => [p.id, p]));
  expect([...byId.keys()]).toEqual(['greeter:agent-config', 'greeter:attach-agent']);
  // The pom is shown as a diff that only adds lines.
  const diff = byId.get('greeter:attach-agent')!.preview ?? '';
  expect(diff).toContain(
    '+          <jvmArguments>-javaagent:${project.build.directory}/otel/opentelemetry-javaagent.jar',
  );
  expect(diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);

  const applied = (await cli(['apply', dir, '--step', '2', '--yes', '--set', 'backend=local'])) as {
    results?: Array<{ ok: boolean; message?: string }>;
  };
  expect(applied.results?.filter((r) => !r.ok) ?? [], 'apply --step 2').toEqual([]);
  const pom = await readFile(path.join(dir, 'pom.xml'), 'utf8');
  expect(pom.startsWith(POM.slice(0, POM.indexOf('  <build>')))).toBe(true);
  expect(await readFile(path.join(dir, 'otel-agent.properties'), 'utf8')).toContain('otel.service.name=greeter');

  const results = step2((await cli(['check', dir, '--step', '2'])) as CheckJson);
  for (const id of STEP_2_REQUIRED)
    expect(results.get(id), `${id}: ${JSON.stringify(results.get(id))}`).toMatchObject({ status: 'pass' });
  expect(results.get('http-requests-create-server-spans')!.summary).toMatch(/1 probe request/);
  expect(results.get('service-name-set')!.summary).toContain('greeter');

  // Re-planning proposes nothing: the agent is attached.
  const again = (await cli(['plan', dir, '--step', '2', '--set', 'backend=local'])) as { proposals: unknown[] };
  expect(again.proposals).toEqual([]);
}, 600_000);
