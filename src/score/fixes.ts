/**
 * The fix of each failed rule, as proposals of the recipes' own kinds. An edit only where trace-guide can write one
 * honestly — RES-005 reuses the doctor's service-name fix (a default OTEL_SERVICE_NAME in the SDK set-up); the others
 * are notes naming the change, the service and the spans, because the right place to change depends on the code.
 */
import { serviceNameFix } from '../doctor/causes/service-name.js';
import { note } from '../plan/proposal-builders.js';
import type { Proposal } from '../types/proposal.js';
import type { Service } from '../types/scan.js';
import type { StepId } from '../skill/schema.js';
import type { CheckContext } from '../verify/check.js';
import { sdkSetup } from '../source-reading/sdk-setup.js';
import type { RuleResult } from './evaluate.js';
import type { RuleEvidence } from './types.js';

export interface RuleFix {
  ruleId: string;
  proposals: Proposal[];
}

function head(ruleId: string, service: Service | undefined, step: StepId, title: string, why: string) {
  return {
    id: `score-${ruleId.toLowerCase()}${service ? `-${service.id.replace(/[^\w-]/g, '_')}` : ''}`,
    step,
    ...(service ? { service: service.id } : {}),
    title,
    why,
  };
}

const INSTANCE_ID: Record<string, string> = {
  node: 'add serviceInstanceIdDetector (from @opentelemetry/resources) to the resourceDetectors of the NodeSDK set-up',
  python: 'add "service.instance.id": str(uuid.uuid4()) to the Resource the TracerProvider is built with',
  go: 'add semconv.ServiceInstanceID(<a UUID made at start>) to the resource.New attributes',
};

/**
 * Whether a set-up reads OTEL_SERVICE_NAME, so that a default for it (the doctor's edit) names the service: Node's NodeSDK
 * and Python's Resource.create do; a resource built by hand (resourceFromAttributes / new Resource / Resource(...)) with
 * no env detector does not — measured: on a BasicTracerProvider with resourceFromAttributes({}), the spans stay
 * unknown_service after the edit.
 */
export function setupReadsServiceNameEnv(language: string, text: string): boolean {
  if (language === 'node')
    return (
      /\bNodeSDK\b|\benvDetector\b|\bdetectResources\b/.test(text) ||
      !/\bresourceFromAttributes\s*\(|\bnew\s+Resource\s*\(/.test(text)
    );
  if (language === 'python') return /\bResource\.create\s*\(/.test(text) || !/\bResource\s*\(/.test(text);
  return true;
}

function services(evidence: readonly RuleEvidence[], byName: ReadonlyMap<string, Service[]>): (Service | undefined)[] {
  const names = [...new Set(evidence.map((e) => e.service).filter((s): s is string => s !== undefined))];
  const found = names.flatMap((n) => byName.get(n) ?? []);
  return found.length > 0 ? [...new Set(found)] : [undefined];
}

function firstSpans(evidence: readonly RuleEvidence[]): string {
  const e = evidence[0];
  return e?.spanIds?.length ? ` (e.g. span ${e.spanIds.join(', ')})` : '';
}

/**
 * `byName`: the scanned services by the service.name their spans reported (unknown_service… for those that set none),
 * as the probes showed it. Without a repository (a saved file) every fix is a note.
 */
export async function fixesFor(
  ctx: Pick<CheckContext, 'root' | 'repo' | 'services'> | undefined,
  failed: readonly RuleResult[],
  byName: ReadonlyMap<string, Service[]>,
): Promise<RuleFix[]> {
  const out: RuleFix[] = [];
  for (const rule of failed) {
    if (rule.status !== 'fail') continue;
    const proposals: Proposal[] = [];
    for (const service of services(rule.evidence, byName)) {
      const mine = rule.evidence.filter(
        (e) => !service || e.service === undefined || (byName.get(e.service) ?? []).includes(service),
      );
      proposals.push(...(await fixOf(ctx, rule, service, mine.length > 0 ? mine : rule.evidence)));
    }
    if (proposals.length > 0) out.push({ ruleId: rule.id, proposals });
  }
  return out;
}

async function fixOf(
  ctx: Pick<CheckContext, 'root' | 'repo' | 'services'> | undefined,
  rule: RuleResult,
  service: Service | undefined,
  evidence: readonly RuleEvidence[],
): Promise<Proposal[]> {
  const who = service?.name ?? evidence[0]?.service ?? 'the service';
  switch (rule.id) {
    case 'RES-005': {
      if (!service || !ctx)
        return [
          note(
            head(
              rule.id,
              service,
              'auto-instrumentation',
              'Name the service',
              'RES-005: without service.name every span is unknown_service',
            ),
            'Set OTEL_SERVICE_NAME (or a service.name resource attribute in the SDK set-up) for each service.',
          ),
        ];
      const file = (await sdkSetup(ctx, service)).setupFiles[0];
      const edits = file && setupReadsServiceNameEnv(service.language, file.code) ? serviceNameFix(service, file) : [];
      if (edits.length > 0) return edits;
      const where =
        file && !setupReadsServiceNameEnv(service.language, file.code)
          ? `the resource built by hand in ${file.path} (it does not read OTEL_SERVICE_NAME)`
          : 'its SDK set-up';
      return [
        note(
          head(
            rule.id,
            service,
            'auto-instrumentation',
            `Name ${service.name} in its traces`,
            'RES-005: without service.name every span is unknown_service',
          ),
          `Add service.name "${service.name}" to ${where}, or set OTEL_SERVICE_NAME=${service.name} where ${service.name} starts if its SDK reads it.`,
        ),
      ];
    }
    case 'RES-001': {
      const how = (service && INSTANCE_ID[service.language]) ?? 'set service.instance.id on the resource';
      return [
        note(
          head(
            rule.id,
            service,
            'auto-instrumentation',
            `Give ${who} a service.instance.id`,
            'RES-001: one instance of a service is told apart from another by service.instance.id',
          ),
          `${how}; or start ${who} with OTEL_RESOURCE_ATTRIBUTES=service.instance.id=<unique per process>.`,
        ),
      ];
    }
    case 'RES-007':
      return [
        note(
          head(
            rule.id,
            service,
            'auto-instrumentation',
            `Say where ${who} is deployed`,
            'RES-007: deployment.environment.name separates production from the rest',
          ),
          `Start ${who} with OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=<production|staging|dev> (the deployment sets it, not the code).`,
        ),
      ];
    case 'RES-004':
      return [
        note(
          head(
            rule.id,
            service,
            'manual-spans',
            `Move attributes of ${who} to the right level`,
            'RES-004: tools look for a semantic-convention key at its own OTLP level',
          ),
          evidence
            .map((e) => `${e.attribute}: ${e.note}${e.spanIds?.length ? ` (spans ${e.spanIds.join(', ')})` : ''}`)
            .join('; ') +
            '. Set resource keys once on the SDK Resource and per-operation keys on spans, and remove the misplaced ones.',
        ),
      ];
    case 'SPA-001':
    case 'SPA-005':
      return [
        note(
          head(rule.id, service, 'manual-spans', `Fewer, larger spans in ${who}`, `${rule.id}: ${rule.title}`),
          `${evidence[0]?.note ?? rule.summary}${firstSpans(evidence)}. Keep spans for units of work that matter (a request, a query, a call, a business step); record loop iterations and tiny helpers as events or attributes of their parent instead.`,
        ),
      ];
    case 'SPA-002':
      return [
        note(
          head(
            rule.id,
            service,
            'propagation',
            `Keep the parents of ${who}'s spans`,
            'SPA-002: an orphan span breaks its trace in two',
          ),
          `${evidence[0]?.note ?? rule.summary}. The parent was lost or never exported: run \`trace-guide doctor\` to name the cause (context dropped across an async boundary, a parent span never ended, a sampler that drops sampled children).`,
        ),
      ];
    case 'SPA-003':
      return [
        note(
          head(
            rule.id,
            service,
            'manual-spans',
            `Name ${who}'s spans by route template`,
            'SPA-003: a value in a span name makes every request a new name',
          ),
          `${evidence[0]?.note ?? rule.summary}. Name the span by its route template (e.g. "GET /items/{id}") and put the value in an attribute (url.path, or an app.* attribute).`,
        ),
      ];
    case 'SPA-004':
      return [
        note(
          head(
            rule.id,
            service,
            'manual-spans',
            `Wrap ${who}'s outgoing calls in a span of their own work`,
            'SPA-004: a trace that starts with a CLIENT span has no record of why the call was made',
          ),
          `${evidence[0]?.note ?? rule.summary}${firstSpans(evidence)}. Start a SERVER span for the incoming request (the framework's instrumentation) or an INTERNAL span for the job, so the CLIENT span is its child.`,
        ),
      ];
    case 'LOG-002':
      return [
        note(
          head(
            rule.id,
            service,
            'correlation',
            `Give ${who}'s log records a severity`,
            'LOG-002: without severityNumber a backend cannot filter records by level',
          ),
          `${evidence[0]?.note ?? rule.summary}. Send logs through the SDK's logging bridge for your logging library (it maps each level to severityNumber), or set severityNumber where the records are built.`,
        ),
      ];
    case 'SDK-001':
      return [
        note(
          head(
            rule.id,
            service,
            'auto-instrumentation',
            `Run ${who} on a runtime its SDK supports`,
            'SDK-001: an unsupported runtime gets no fixes from the SDK',
          ),
          `${evidence[0]?.note ?? rule.summary}. Upgrade the runtime, or pin an SDK release that supports it.`,
        ),
      ];
    default:
      return [];
  }
}
