/**
 * Step 2 for Spring Boot services built with Maven: the OpenTelemetry Java agent, zero-code. The pom fetches the agent
 * as a dependency copied to target/otel/opentelemetry-javaagent.jar (maven-dependency-plugin, before compilation), and
 * spring-boot-maven-plugin starts the JVM with -javaagent: and the agent's configuration file, otel-agent.properties,
 * whose service name, OTLP endpoint and protocol are defaults the OTEL_* variables override.
 * A service that already has the agent, the OpenTelemetry Spring Boot starter, a Micrometer Tracing bridge or another
 * vendor's tracer gets a note that says what is there instead of a second tracer.
 */
import type { Service } from '../../../types/scan.js';
import type { Proposal } from '../../../types/proposal.js';
import { createFile, editFile, note, requiredNote, serviceHeads } from '../../../plan/proposal-builders.js';
import { inService, type PlanContext } from '../../../plan/context.js';
import type { Recipe } from '../../../plan/recipe.js';
import { exporterSettings } from '../../../plan/recipes/exporter.js';
import { otherVendorTracers, tracersInFiles, type ExistingTracer } from './existing-tracing.js';
import { AGENT_JAR, agentJvmArguments, pomAgentEdit } from './pom-agent-edit.js';
import { AGENT_CONFIG_FILE, JAVA_OTEL_VERSIONS } from './versions.js';

const STEP = 'auto-instrumentation' as const;

function isSpringBoot(service: Service): boolean {
  return service.frameworks.some((f) => f.name === 'spring-boot');
}

/** The files where a tracer may already be set up or attached: the builds, the Dockerfile, the Procfile. */
async function buildFiles(ctx: PlanContext, service: Service): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const name of ['pom.xml', 'build.gradle', 'build.gradle.kts', 'Dockerfile', 'Procfile']) {
    const rel = inService(service, name);
    const text = await ctx.repo.read(rel);
    if (text !== undefined) out.push({ path: rel, text });
  }
  if (service.start) out.push({ path: service.start.evidence.file, text: service.start.command });
  return out;
}

function existingNote(service: Service, found: readonly ExistingTracer[]): Proposal {
  const head = serviceHeads(STEP, service);
  const where = found.map((f) => `- ${f.name} (${f.evidence.file}:${f.evidence.line})`).join('\n');
  const kinds = new Set(found.map((f) => f.kind));
  const advice = kinds.has('other')
    ? 'trace-guide does not add the OpenTelemetry agent beside another tracer: two tracers in one JVM trace each request twice. Remove the other agent or tracer (its -javaagent: and dependencies), then plan this step again.'
    : kinds.has('otel-agent') && kinds.has('otel-starter')
      ? 'The agent and the starter both instrument the same libraries: keep one (the agent for zero-code, the starter for native images or where no agent is allowed) and remove the other.'
      : kinds.has('micrometer-bridge') && !kinds.has('otel-agent') && !kinds.has('otel-starter')
        ? "Spring's Micrometer Tracing already creates spans here. trace-guide does not add the agent beside it (each request would be traced twice); export through its OTLP exporter (management.otlp.tracing.endpoint), or remove the bridge and plan this step again to use the agent."
        : kinds.has('otel-agent') && !attachedAgent(found)
          ? `The build fetches the agent, but no start of the JVM attaches it: add ${JAVA_AGENT_JVM_ARGUMENTS.replace(/ -D.*$/, '')} (pointing at where the build puts the jar) to spring-boot-maven-plugin's <jvmArguments>, the Dockerfile's java command or JAVA_TOOL_OPTIONS.`
          : 'Nothing more is added; the checks of this step prove whether it sends SERVER spans.';
  return note(
    head(
      'existing-tracing',
      `${service.name} already traces: ${[...new Set(found.map((f) => f.name))].join(', ')}`,
      'One tracer per JVM: a second one would split or duplicate every trace.',
    ),
    `${service.name} already has:\n${where}\n${advice}`,
  );
}

function attachedAgent(found: readonly ExistingTracer[]): ExistingTracer | undefined {
  return found.find((f) => f.kind === 'otel-agent' && f.name.includes('-javaagent:'));
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  const head = serviceHeads(STEP, service);
  const files = await buildFiles(ctx, service);
  const ours = tracersInFiles(files);
  const seen = new Set(ours.map((f) => `${f.evidence.file}:${f.evidence.line}`));
  const others = otherVendorTracers(service).filter((f) => !seen.has(`${f.evidence.file}:${f.evidence.line}`));
  const found = [...ours, ...others];
  // The agent alone, attached: the step's work is done (re-planning proposes nothing).
  if (found.length === 1 && attachedAgent(found)) return [];
  if (found.length > 0) return [existingNote(service, found)];

  const pom = files.find((f) => f.path === inService(service, 'pom.xml'));
  if (!pom) {
    return [
      requiredNote(
        head(
          'attach-agent',
          `Attach the OpenTelemetry Java agent to ${service.name}`,
          'trace-guide edits Maven builds; this service has no pom.xml.',
        ),
        `Fetch io.opentelemetry.javaagent:opentelemetry-javaagent:${JAVA_OTEL_VERSIONS.agent} in the build (a configuration copied to build/otel/), and start the JVM with -javaagent:<path to the jar> (Gradle: bootRun { jvmArgs(...) }), with OTEL_SERVICE_NAME=${service.name} and the OTLP endpoint in the environment.`,
      ),
    ];
  }

  const exporter = exporterSettings(ctx);
  const out: Proposal[] = [];
  const configPath = inService(service, AGENT_CONFIG_FILE);
  const configId = `${service.id}:agent-config`;
  if ((await ctx.repo.read(configPath)) === undefined) {
    const content = await ctx.templates.render('java/otel-agent.properties', {
      serviceName: service.name,
      endpoint: exporter.endpoint,
      protocol: exporter.protocol,
    });
    out.push(
      createFile(
        head(
          'agent-config',
          `Create ${configPath} (service name, OTLP endpoint and protocol)`,
          `The agent's defaults for this service; the OTEL_* variables override each line${exporter.needsHeaders ? ', and credentials stay in OTEL_EXPORTER_OTLP_HEADERS' : ''}.`,
        ),
        configPath,
        content,
      ),
    );
  }
  const edit = pomAgentEdit(pom.text, {
    agentVersion: JAVA_OTEL_VERSIONS.agent,
    dependencyPluginVersion: JAVA_OTEL_VERSIONS.dependencyPlugin,
    configFile: AGENT_CONFIG_FILE,
  });
  if (edit.kind === 'manual') {
    out.push(
      requiredNote(
        head(
          'attach-agent',
          `Attach the OpenTelemetry Java agent in ${pom.path}`,
          `trace-guide does not rewrite this pom by itself: ${edit.reason}.`,
        ),
        `Add to spring-boot-maven-plugin's JVM arguments: ${edit.jvmArguments}\nand fetch io.opentelemetry.javaagent:opentelemetry-javaagent:${JAVA_OTEL_VERSIONS.agent} to ${AGENT_JAR} with maven-dependency-plugin's copy goal.`,
      ),
    );
    return out;
  }
  out.push(
    editFile(
      head(
        'attach-agent',
        `Edit ${pom.path}: fetch the OpenTelemetry Java agent and attach it to spring-boot:run`,
        `${edit.describe.join('; ')}. The agent instruments Spring MVC/WebFlux, HTTP clients, JDBC and messaging before the app loads.`,
        out.length > 0 ? [configId] : [],
      ),
      pom.path,
      edit.pairs,
    ),
  );
  return out;
}

export const javaAutoInstrumentation: Recipe = {
  id: 'java-auto-instrumentation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'java' && isSpringBoot(service),
  plan: planService,
  async whyNothing(ctx, service) {
    const agent = attachedAgent(tracersInFiles(await buildFiles(ctx, service)));
    return agent
      ? `the OpenTelemetry Java agent is attached already (${agent.evidence.file}:${agent.evidence.line})`
      : undefined;
  },
};

/** The JVM arguments the recipe adds, for the checks and the doctor to name in their fixes. */
export const JAVA_AGENT_JVM_ARGUMENTS = agentJvmArguments(AGENT_CONFIG_FILE);
