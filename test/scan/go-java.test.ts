import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { finding, names, service, sampleRepos } from './util.js';

const repo = sampleRepos();

describe('scanRepo: Go services', () => {
  it('net/http server with an http client, database/sql, slog', async () => {
    const dir = await repo({
      'go.mod': 'module github.com/acme/inventory\n\ngo 1.22\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.0\n)\n',
      'main.go': [
        'package main',
        '',
        'import (',
        '\t"database/sql"',
        '\t"log/slog"',
        '\t"net/http"',
        '',
        '\t_ "github.com/jackc/pgx/v5/stdlib"',
        ')',
        '',
        'func main() {',
        '\tdb, _ := sql.Open("pgx", "")',
        '\t_ = db',
        '\thttp.HandleFunc("/stock", func(w http.ResponseWriter, r *http.Request) {',
        '\t\tresp, _ := http.Get("http://pricing:8080/price")',
        '\t\t_ = resp',
        '\t})',
        '\tslog.Info("listening")',
        '\thttp.ListenAndServe(":8080", nil)',
        '}',
      ].join('\n'),
      'main_test.go': 'package main\nimport "github.com/segmentio/kafka-go"\n',
    });
    const s = service(await scanRepo(dir));
    // The name is the module path's last element; the id stays the module path.
    expect(s).toMatchObject({ language: 'go', id: 'github.com/acme/inventory', name: 'inventory', manifest: 'go.mod' });
    expect(names(s.frameworks)).toEqual(['net/http']);
    expect(finding(s.frameworks, 'net/http').evidence.line).toBe(14);
    expect(s.entrypoint).toMatchObject({ file: 'main.go', evidence: { line: 11, text: 'func main() {' } });
    expect(s.start).toMatchObject({ command: 'go run .', source: 'go' });
    expect(s.port).toEqual({
      value: 8080,
      evidence: { file: 'main.go', line: 19, text: 'http.ListenAndServe(":8080", nil)' },
    });
    expect(names(s.httpClients)).toEqual(['net/http']);
    expect(finding(s.httpClients, 'net/http').evidence.line).toBe(15);
    expect(names(s.dbClients)).toEqual(['database/sql', 'pgx']);
    expect(finding(s.dbClients, 'pgx').evidence).toMatchObject({ file: 'main.go', line: 8 });
    expect(names(s.logging)).toEqual(['log/slog']);
    expect(s.queueClients).toEqual([]);
  });

  it('Gin in cmd/api with r.Run, resty, sarama, go-redis, zap', async () => {
    const dir = await repo({
      'go.mod': [
        'module example.com/orders',
        'go 1.22',
        'require (',
        '\tgithub.com/gin-gonic/gin v1.9.1',
        '\tgithub.com/go-resty/resty/v2 v2.11.0',
        '\tgithub.com/IBM/sarama v1.42.0',
        '\tgithub.com/redis/go-redis/v9 v9.4.0',
        '\tgo.uber.org/zap v1.26.0 // indirect',
        ')',
      ].join('\n'),
      'cmd/api/main.go': [
        'package main',
        'import (',
        '\t"github.com/gin-gonic/gin"',
        '\t"example.com/orders/internal/store"',
        ')',
        'func main() {',
        '\tr := gin.Default()',
        '\tstore.New()',
        '\tr.Run(":9090")',
        '}',
      ].join('\n'),
      'cmd/migrate/main.go': 'package main\nfunc main() {}\n',
      'internal/store/store.go':
        'package store\nimport (\n\t"github.com/redis/go-redis/v9"\n\t"github.com/IBM/sarama"\n\t"github.com/go-resty/resty/v2"\n\t"go.uber.org/zap"\n)\nfunc New() {}\n',
    });
    const s = service(await scanRepo(dir));
    expect(names(s.frameworks)).toEqual(['gin']);
    expect(s.entrypoint?.file).toBe('cmd/api/main.go');
    expect(s.start).toMatchObject({ command: 'go run ./cmd/api', source: 'go' });
    expect(s.port).toMatchObject({ value: 9090, evidence: { file: 'cmd/api/main.go', line: 9 } });
    expect(names(s.httpClients)).toEqual(['resty']);
    expect(names(s.queueClients)).toEqual(['sarama']);
    expect(names(s.dbClients)).toEqual(['go-redis']);
    expect(names(s.logging)).toEqual(['zap']);
    expect(finding(s.logging, 'zap').evidence.file).toBe('internal/store/store.go');
  });

  it('Echo with e.Start and a port default from os.Getenv', async () => {
    const dir = await repo({
      'go.mod':
        'module echo-svc\n\ngo 1.22\n\nrequire github.com/labstack/echo/v4 v4.11.4\nrequire github.com/nats-io/nats.go v1.31.0\n',
      'server.go': [
        'package main',
        'import (',
        '\t"os"',
        '\t"github.com/labstack/echo/v4"',
        '\t"github.com/sirupsen/logrus"',
        ')',
        'func main() {',
        '\te := echo.New()',
        '\tport := os.Getenv("PORT")',
        '\tif port == "" {',
        '\t\tport = "1323"',
        '\t}',
        '\te.Logger.Fatal(e.Start(":" + port))',
        '}',
      ].join('\n'),
    });
    const s = service(await scanRepo(dir));
    expect(names(s.frameworks)).toEqual(['echo']);
    expect(s.entrypoint?.file).toBe('server.go');
    expect(s.port).toMatchObject({ value: 1323, evidence: { line: 11, text: 'port = "1323"' } });
    expect(names(s.logging)).toEqual(['logrus']);
    expect(finding(s.queueClients, 'nats.go').evidence).toMatchObject({ file: 'go.mod', line: 6 });
  });
});

describe('scanRepo: Java services', () => {
  it('Spring Boot (Maven): @SpringBootApplication entry, mvn spring-boot:run, server.port, clients', async () => {
    const dir = await repo({
      'pom.xml': [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<project xmlns="http://maven.apache.org/POM/4.0.0">',
        '  <parent>',
        '    <groupId>org.springframework.boot</groupId>',
        '    <artifactId>spring-boot-starter-parent</artifactId>',
        '    <version>3.2.0</version>',
        '  </parent>',
        '  <artifactId>payments</artifactId>',
        '  <dependencies>',
        '    <dependency>',
        '      <groupId>org.springframework.boot</groupId>',
        '      <artifactId>spring-boot-starter-web</artifactId>',
        '    </dependency>',
        '    <dependency>',
        '      <groupId>org.springframework.kafka</groupId>',
        '      <artifactId>spring-kafka</artifactId>',
        '    </dependency>',
        '    <dependency>',
        '      <groupId>org.springframework.boot</groupId>',
        '      <artifactId>spring-boot-starter-data-jpa</artifactId>',
        '    </dependency>',
        '  </dependencies>',
        '  <build><plugins><plugin>',
        '    <groupId>org.springframework.boot</groupId>',
        '    <artifactId>spring-boot-maven-plugin</artifactId>',
        '  </plugin></plugins></build>',
        '</project>',
      ].join('\n'),
      mvnw: '#!/bin/sh\n',
      'src/main/resources/application.yml': 'spring:\n  application:\n    name: payments\nserver:\n  port: 8082\n',
      'src/main/java/com/acme/payments/PaymentsApplication.java': [
        'package com.acme.payments;',
        '',
        'import org.springframework.boot.SpringApplication;',
        'import org.springframework.boot.autoconfigure.SpringBootApplication;',
        '',
        '@SpringBootApplication',
        'public class PaymentsApplication {',
        '  public static void main(String[] args) { SpringApplication.run(PaymentsApplication.class, args); }',
        '}',
      ].join('\n'),
      'src/main/java/com/acme/payments/Client.java': [
        'package com.acme.payments;',
        'import org.springframework.web.client.RestTemplate;',
        'import org.slf4j.Logger;',
        'import org.springframework.kafka.core.KafkaTemplate;',
        'import jakarta.persistence.Entity;',
        'class Client {}',
      ].join('\n'),
      'src/test/java/com/acme/payments/ClientTest.java': 'import okhttp3.OkHttpClient;\n',
    });
    const s = service(await scanRepo(dir));
    expect(s).toMatchObject({ language: 'java', name: 'payments', manifest: 'pom.xml' });
    expect(names(s.frameworks)).toEqual(['spring-boot']);
    expect(finding(s.frameworks, 'spring-boot').evidence.file).toBe(
      'src/main/java/com/acme/payments/PaymentsApplication.java',
    );
    expect(s.entrypoint).toMatchObject({
      file: 'src/main/java/com/acme/payments/PaymentsApplication.java',
      evidence: { line: 6, text: '@SpringBootApplication' },
    });
    expect(s.start).toMatchObject({
      command: './mvnw spring-boot:run',
      source: 'maven',
      evidence: { file: 'pom.xml', line: 25 },
    });
    expect(s.port).toEqual({
      value: 8082,
      evidence: { file: 'src/main/resources/application.yml', line: 5, text: 'port: 8082' },
    });
    expect(names(s.httpClients)).toEqual(['resttemplate']);
    expect(names(s.queueClients)).toEqual(['spring-kafka']);
    expect(names(s.dbClients)).toEqual(['jpa']);
    expect(names(s.logging)).toEqual(['slf4j']);
  });

  it('Spring Boot (Gradle) with application.properties ${PORT:8085} and an OpenTelemetry java agent in the Dockerfile', async () => {
    const dir = await repo({
      'build.gradle.kts':
        'plugins {\n  id("org.springframework.boot") version "3.2.0"\n}\ndependencies {\n  implementation("org.springframework.boot:spring-boot-starter-webflux")\n}\n',
      gradlew: '#!/bin/sh\n',
      'src/main/resources/application.properties': 'spring.application.name=quotes\nserver.port=${PORT:8085}\n',
      // Java sources: a build with mostly .kt sources is a Kotlin service (test/scan/listed-languages.test.ts).
      'src/main/java/Quotes.java':
        'import org.springframework.boot.autoconfigure.SpringBootApplication;\nimport org.springframework.web.reactive.function.client.WebClient;\n@SpringBootApplication\nclass Quotes {}\n',
      Dockerfile:
        'FROM eclipse-temurin:21\nCOPY app.jar /app.jar\nENTRYPOINT ["java", "-javaagent:/otel/opentelemetry-javaagent.jar", "-jar", "/app.jar"]\n',
    });
    const s = service(await scanRepo(dir));
    expect(s.manifest).toBe('build.gradle.kts');
    expect(s.start).toMatchObject({ command: './gradlew bootRun', source: 'gradle', evidence: { line: 2 } });
    expect(s.port).toMatchObject({ value: 8085, evidence: { line: 2 } });
    expect(names(s.httpClients)).toEqual(['webclient']);
    expect(finding(s.tracing, 'opentelemetry').evidence).toMatchObject({ file: 'Dockerfile', line: 3 });
  });
});

describe('scanRepo: import headers', () => {
  it('reads Java imports after a licence block comment, and ignores "import" words in the class body', async () => {
    const dir = await repo({
      'pom.xml': '<project><artifactId>lic</artifactId><dependencies></dependencies></project>',
      'src/main/java/A.java':
        '/*\n Licensed under the Apache License.\n See the NOTICE file\n */\npackage a;\n\nimport okhttp3.OkHttpClient;\n\npublic class A {\n  String s = """\nimport io.nats.client.Nats;\n""";\n  public static void main(String[] a) {}\n}\n',
    });
    const s = service(await scanRepo(dir));
    expect(names(s.httpClients)).toEqual(['okhttp']);
    expect(s.queueClients).toEqual([]);
    expect(s.entrypoint?.file).toBe('src/main/java/A.java');
  });
});
