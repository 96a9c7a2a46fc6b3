/**
 * What the Java recipes pin. The agent and the instrumentation BOM are one release of opentelemetry-java-instrumentation
 * (2.31.1: Maven Central serves the agent, the annotations, the BOM and the Spring Boot starter at that version); the
 * dependency plugin is the newest 3.x that resolved here. Upgrade the agent and the instrumentation artifacts together.
 */
export const JAVA_OTEL_VERSIONS = {
  agent: '2.31.1',
  dependencyPlugin: '3.11.0',
} as const;

/** The agent's configuration file the recipe writes beside the pom (the OTEL_* variables override every line of it). */
export const AGENT_CONFIG_FILE = 'otel-agent.properties';
