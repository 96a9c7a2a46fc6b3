/**
 * Java (and Kotlin sources): library → finding table. `packages` are 'groupId:artifactId' from pom.xml or Gradle
 * ('group:*' for a whole group), `imports` are package / class names as written after `import`.
 *
 * Finding names:
 * - framework: spring-boot, grpc, quarkus, micronaut
 * - http:      resttemplate, webclient, okhttp, apache-httpclient, java-http-client, feign
 * - queue:     spring-kafka, kafka-clients, spring-amqp, rabbitmq, nats
 * - db:        jdbc, jpa, spring-data, hibernate, jedis, lettuce, mongodb
 * - logging:   slf4j, logback, log4j, java.util.logging
 * - tracing:   opentelemetry, opentracing, jaeger-client, zipkin, dd-trace, newrelic, elastic-apm, sentry
 */
import type { CommandAgent, EntryMarker, LanguageTable, LibraryRule, PortPattern } from '../../repo/detect/types.js';

export const JAVA_RULES: readonly LibraryRule[] = [
  {
    name: 'spring-boot',
    category: 'framework',
    packages: ['org.springframework.boot:*'],
    imports: ['org.springframework.boot'],
  },
  { name: 'grpc', category: 'framework', packages: ['io.grpc:*', 'net.devh:*'], imports: ['io.grpc'] },
  { name: 'quarkus', category: 'framework', packages: ['io.quarkus:*'], imports: ['io.quarkus'] },
  { name: 'micronaut', category: 'framework', packages: ['io.micronaut:*'], imports: ['io.micronaut'] },

  { name: 'resttemplate', category: 'http', imports: ['org.springframework.web.client.RestTemplate'] },
  {
    name: 'webclient',
    category: 'http',
    packages: ['org.springframework.boot:spring-boot-starter-webflux'],
    imports: ['org.springframework.web.reactive.function.client'],
  },
  {
    name: 'okhttp',
    category: 'http',
    packages: ['com.squareup.okhttp3:*', 'com.squareup.okhttp:*'],
    imports: ['okhttp3', 'com.squareup.okhttp'],
  },
  {
    name: 'apache-httpclient',
    category: 'http',
    packages: ['org.apache.httpcomponents:*', 'org.apache.httpcomponents.client5:*'],
    imports: ['org.apache.http', 'org.apache.hc.client5'],
  },
  { name: 'java-http-client', category: 'http', imports: ['java.net.http'] },
  {
    name: 'feign',
    category: 'http',
    packages: ['org.springframework.cloud:spring-cloud-starter-openfeign', 'io.github.openfeign:*'],
    imports: ['org.springframework.cloud.openfeign', 'feign'],
  },

  {
    name: 'spring-kafka',
    category: 'queue',
    packages: ['org.springframework.kafka:*'],
    imports: ['org.springframework.kafka'],
  },
  {
    name: 'kafka-clients',
    category: 'queue',
    packages: ['org.apache.kafka:kafka-clients'],
    imports: ['org.apache.kafka'],
  },
  {
    name: 'spring-amqp',
    category: 'queue',
    packages: ['org.springframework.boot:spring-boot-starter-amqp', 'org.springframework.amqp:*'],
    imports: ['org.springframework.amqp'],
  },
  { name: 'rabbitmq', category: 'queue', packages: ['com.rabbitmq:amqp-client'], imports: ['com.rabbitmq.client'] },
  { name: 'nats', category: 'queue', packages: ['io.nats:*'], imports: ['io.nats'] },

  {
    name: 'jdbc',
    category: 'db',
    packages: ['org.springframework.boot:spring-boot-starter-jdbc'],
    imports: ['java.sql', 'javax.sql', 'org.springframework.jdbc'],
  },
  {
    name: 'jpa',
    category: 'db',
    packages: ['org.springframework.boot:spring-boot-starter-data-jpa', 'jakarta.persistence:*', 'javax.persistence:*'],
    imports: ['jakarta.persistence', 'javax.persistence', 'org.springframework.data.jpa'],
  },
  {
    name: 'hibernate',
    category: 'db',
    packages: ['org.hibernate:*', 'org.hibernate.orm:*'],
    imports: ['org.hibernate'],
  },
  {
    name: 'spring-data-redis',
    category: 'db',
    packages: ['org.springframework.boot:spring-boot-starter-data-redis'],
    imports: ['org.springframework.data.redis'],
  },
  {
    name: 'mongodb',
    category: 'db',
    packages: ['org.mongodb:*', 'org.springframework.boot:spring-boot-starter-data-mongodb'],
    imports: ['com.mongodb', 'org.springframework.data.mongodb'],
  },
  { name: 'jedis', category: 'db', packages: ['redis.clients:jedis'], imports: ['redis.clients.jedis'] },
  { name: 'lettuce', category: 'db', packages: ['io.lettuce:*'], imports: ['io.lettuce'] },

  { name: 'slf4j', category: 'logging', packages: ['org.slf4j:*'], imports: ['org.slf4j'] },
  { name: 'logback', category: 'logging', packages: ['ch.qos.logback:*'], imports: ['ch.qos.logback'] },
  {
    name: 'log4j',
    category: 'logging',
    packages: ['org.apache.logging.log4j:*', 'log4j:log4j'],
    imports: ['org.apache.logging.log4j', 'org.apache.log4j'],
  },
  { name: 'java.util.logging', category: 'logging', imports: ['java.util.logging'] },

  {
    name: 'opentelemetry',
    category: 'tracing',
    packages: [
      'io.opentelemetry:*',
      'io.opentelemetry.instrumentation:*',
      'io.micrometer:micrometer-tracing-bridge-otel',
    ],
    imports: ['io.opentelemetry'],
  },
  {
    name: 'opentracing',
    category: 'tracing',
    packages: ['io.opentracing:*', 'io.opentracing.contrib:*'],
    imports: ['io.opentracing'],
  },
  { name: 'jaeger-client', category: 'tracing', packages: ['io.jaegertracing:*'], imports: ['io.jaegertracing'] },
  {
    name: 'zipkin',
    category: 'tracing',
    packages: ['io.zipkin.brave:*', 'io.zipkin.reporter2:*', 'io.micrometer:micrometer-tracing-bridge-brave'],
    imports: ['brave', 'zipkin2'],
  },
  { name: 'dd-trace', category: 'tracing', packages: ['com.datadoghq:*'], imports: ['datadog.trace'] },
  { name: 'newrelic', category: 'tracing', packages: ['com.newrelic.agent.java:*'], imports: ['com.newrelic'] },
  { name: 'elastic-apm', category: 'tracing', packages: ['co.elastic.apm:*'], imports: ['co.elastic.apm'] },
  { name: 'sentry', category: 'tracing', packages: ['io.sentry:*'], imports: ['io.sentry'] },
];

/** Java source itself rarely holds the port; see manifests/java.ts for application.properties / application.yml. */
export const JAVA_PORTS: readonly PortPattern[] = [];

export const JAVA_ENTRY_MARKERS: readonly EntryMarker[] = [
  { kind: 'spring-boot-app', hint: '@SpringBootApplication', pattern: /^[ \t]*@SpringBootApplication\b/m },
  { kind: 'main', hint: 'main(', pattern: /\bpublic\s+static\s+void\s+main\s*\(/ },
  { kind: 'main', hint: 'fun main', pattern: /^fun main\s*\(/m },
];

export const JAVA_TABLE: LanguageTable = {
  language: 'java',
  importSeparator: '.',
  rules: JAVA_RULES,
  ports: JAVA_PORTS,
  entryMarkers: JAVA_ENTRY_MARKERS,
};

export const JAVA_AGENTS: readonly CommandAgent[] = [
  { name: 'opentelemetry', pattern: /-javaagent:\S*opentelemetry-javaagent/ },
  { name: 'dd-trace', pattern: /-javaagent:\S*dd-java-agent/ },
  { name: 'newrelic', pattern: /-javaagent:\S*newrelic/ },
  { name: 'elastic-apm', pattern: /-javaagent:\S*elastic-apm-agent/ },
];
