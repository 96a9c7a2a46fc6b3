/**
 * backend-config-current: the compose and backend files use current images and settings — no top-level compose
 * `version:`, Jaeger v2 (jaegertracing/jaeger 2.x, not all-in-one / 1.x), none of the v1 agent's UDP ports
 * (6831, 6832, 5775), and OTLP receivers (Tempo's distributor, a Collector) bound to 0.0.0.0 explicitly, since they bind
 * localhost otherwise and other containers cannot reach them. A file that does not parse is reported with line:col.
 */
import type { Check } from '../../check.js';
import { combine, type Finding } from './support/result.js';
import {
  composePorts,
  composeServices,
  valueAt,
  isCollectorConfig,
  isComposeFile,
  isTempoConfig,
  asRecord,
  yamlEvidence,
  yamlFiles,
  type YamlFile,
} from '../../../source-reading/yaml-files.js';

const ITEM = 'backend-config-current';
const AGENT_PORTS = new Set([6831, 6832, 5775]);

export const backendConfigCurrent: Check = {
  itemId: ITEM,
  async run(ctx) {
    const all = await yamlFiles(ctx);
    const findings: Finding[] = [];
    const compose = all.filter(isComposeFile);
    for (const f of compose) findings.push(...composeFindings(f));
    for (const f of all.filter(
      (y) =>
        !isComposeFile(y) &&
        y.errors.length > 0 &&
        /tempo|collector|otel|jaeger|grafana|prometheus|datasource/i.test(y.path),
    )) {
      findings.push({
        status: 'fail',
        message: `${f.path} does not parse: ${f.errors[0]}`,
        evidence: [{ file: f.path, line: Number(f.errors[0]!.split(':')[0]) || 1 }],
        fix: 'Fix the YAML syntax at that line and column.',
      });
    }
    for (const f of all.filter(isTempoConfig))
      findings.push(...receiverFindings(f, ['distributor', 'receivers', 'otlp', 'protocols'], 'Tempo'));
    for (const f of all.filter(isCollectorConfig)) {
      for (const [name, r] of Object.entries(asRecord(valueAt(f.value, 'receivers')) ?? {})) {
        if (name === 'otlp' || name.startsWith('otlp/'))
          if (asRecord(r)) findings.push(...receiverFindings(f, ['receivers', name, 'protocols'], 'the Collector'));
      }
    }
    if (compose.length === 0 && findings.length === 0) {
      return combine(
        ITEM,
        [],
        'no compose file or backend configuration in the repo (the local receiver or a vendor needs none)',
      );
    }
    return combine(ITEM, findings, 'no backend configuration found');
  },
};

function composeFindings(f: YamlFile): Finding[] {
  if (f.errors.length > 0) {
    const line = Number(f.errors[0]!.split(':')[0]) || 1;
    return [
      {
        status: 'fail',
        message: `${f.path} does not parse at ${f.errors[0]}`,
        evidence: [{ file: f.path, line }],
        fix: 'Fix the YAML at that line and column (docker compose config shows the same error).',
      },
    ];
  }
  const out: Finding[] = [];
  if (asRecord(f.value)?.version !== undefined) {
    out.push({
      status: 'fail',
      message: `${f.path} has a top-level version: key, which Compose v2 ignores and warns about`,
      evidence: [yamlEvidence(f, ['version'])],
      fix: 'Delete the version: line.',
    });
  }
  const services = composeServices(f);
  let backends = 0;
  for (const [name, s] of Object.entries(services)) {
    const image = typeof s.image === 'string' ? s.image : '';
    if (
      /jaegertracing\/(?:all-in-one|jaeger-(?:agent|collector|query))\b/.test(image) ||
      /jaegertracing\/jaeger:1\./.test(image)
    ) {
      out.push({
        status: 'fail',
        message: `${f.path}: ${name} runs ${image}, Jaeger v1, which is end-of-life`,
        evidence: [yamlEvidence(f, ['services', name, 'image'])],
        fix: 'Use jaegertracing/jaeger:2.x (OTLP on 4317/4318, UI on 16686).',
      });
    }
    if (/jaeger|tempo|otel|collector|zipkin/.test(image)) backends++;
    // One finding per entry, even when its range covers several agent ports.
    const agentEntries = new Set(
      composePorts(s)
        .filter((p) => AGENT_PORTS.has(p.container))
        .map((p) => p.raw),
    );
    for (const raw of agentEntries) {
      out.push({
        status: 'fail',
        message: `${f.path}: ${name} publishes ${raw}, a Jaeger v1 agent UDP port nothing sends to any more`,
        evidence: [yamlEvidence(f, ['services', name, 'ports'])],
        fix: 'Remove the 6831/6832/5775 ports; services send OTLP to 4317/4318.',
      });
    }
  }
  if (out.length === 0 && backends > 0) {
    out.push({
      status: 'pass',
      message: `${f.path}: current images, no version key, no v1 agent ports`,
      evidence: [{ file: f.path, line: 1 }],
    });
  }
  return out;
}

function receiverFindings(f: YamlFile, protocolsPath: string[], what: string): Finding[] {
  const protocols = asRecord(valueAt(f.value, ...protocolsPath));
  if (!protocols) return [];
  const out: Finding[] = [];
  for (const proto of ['grpc', 'http'] as const) {
    if (!(proto in protocols)) continue;
    const endpoint = valueAt(protocols, proto, 'endpoint');
    const port = proto === 'grpc' ? 4317 : 4318;
    if (typeof endpoint !== 'string' || endpoint.trim() === '') {
      out.push({
        status: 'fail',
        message: `${f.path}: ${what}'s OTLP ${proto} receiver has no endpoint, so it binds localhost inside its container`,
        evidence: [yamlEvidence(f, [...protocolsPath, proto])],
        fix: `Set endpoint: "0.0.0.0:${port}".`,
      });
    } else if (/^(?:localhost|127\.0\.0\.1)(?::|$)/.test(endpoint.trim())) {
      out.push({
        status: 'fail',
        message: `${f.path}: ${what}'s OTLP ${proto} receiver binds ${endpoint}, unreachable from other containers`,
        evidence: [yamlEvidence(f, [...protocolsPath, proto, 'endpoint'])],
        fix: `Set endpoint: "0.0.0.0:${port}".`,
      });
    } else {
      out.push({
        status: 'pass',
        message: `${f.path}: ${what}'s OTLP ${proto} receiver binds ${endpoint}`,
        evidence: [yamlEvidence(f, [...protocolsPath, proto, 'endpoint'])],
      });
    }
  }
  return out;
}
