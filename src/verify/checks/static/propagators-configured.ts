/**
 * propagators-configured: every service reads and writes W3C traceparent (and baggage). Go sets no propagator by default
 * (the global one is a no-op), so it needs otel.SetTextMapPropagator with TraceContext. Node's and Python's SDKs default
 * to tracecontext,baggage; OTEL_PROPAGATORS or a propagator set in code overrides that and must keep tracecontext.
 */
import type { Service } from '../../../types/scan.js';
import type { Check, CheckContext } from '../../check.js';
import { callArgs, evidence, type SourceFile } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices } from '../../../source-reading/repo-files.js';
import { otelSettings, setting } from '../../../source-reading/otel-settings.js';
import { noSdkMessage, sdkSetup } from '../../../source-reading/sdk-setup.js';

const ITEM = 'propagators-configured';
const NODE_PROVIDER = /new\s+(BasicTracerProvider|NodeTracerProvider|WebTracerProvider)\s*\(/;

/**
 * A Node tracer provider made by hand that nothing registers a propagator for: only NodeSDK (and the zero-code
 * register entry point built on it), provider.register() and propagation.setGlobalPropagator (read before this) set
 * the global propagator — the default tracecontext,baggage comes from them, not from the API, whose own is a no-op.
 */
function providerWithoutPropagator(
  files: SourceFile[],
): { file: SourceFile; index: number; provider: string } | undefined {
  if (
    files.some((f) =>
      /\bNodeSDK\b|@opentelemetry\/sdk-node\b|@opentelemetry\/auto-instrumentations-node\/register\b/.test(f.code),
    )
  )
    return undefined;
  let found: { file: SourceFile; index: number; provider: string } | undefined;
  for (const f of files) {
    for (const m of f.code.matchAll(new RegExp(NODE_PROVIDER.source, 'g'))) {
      // `const provider = new XTracerProvider(…)` then `provider.register(`, or `new XTracerProvider(…).register(`.
      const name =
        /(?:const|let|var)\s+(\w+)\s*=\s*$/.exec(f.code.slice(Math.max(0, m.index - 80), m.index))?.[1] ??
        /(?:this\.)?(\w+)\s*=\s*$/.exec(f.code.slice(Math.max(0, m.index - 80), m.index))?.[1];
      const args = callArgs(f, m.index + m[0].length - 1);
      if (/^\s*\.\s*register\s*\(/.test(f.code.slice(args.end + 1))) return undefined;
      if (name && files.some((g) => new RegExp(`\\b${name}\\s*\\.\\s*register\\s*\\(`).test(g.code))) return undefined;
      found ??= { file: f, index: m.index, provider: m[1]! };
    }
  }
  return found;
}

export const propagatorsConfigured: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    for (const service of checkedServices(ctx)) findings.push(await serviceFinding(ctx, service));
    return combine(ITEM, findings, 'no Node, Python or Go service to check');
  },
};

async function serviceFinding(ctx: CheckContext, service: Service): Promise<Finding> {
  const setup = await sdkSetup(ctx, service);
  const name = service.name;
  if (service.language === 'go') {
    for (const f of setup.files) {
      const m = /\bSetTextMapPropagator\s*\(/.exec(f.code);
      if (!m) continue;
      const args = callArgs(f, m.index + m[0].length - 1).text;
      if (/TraceContext\s*\{\s*\}/.test(args)) {
        const baggage = /Baggage\s*\{\s*\}/.test(args);
        return {
          status: baggage ? 'pass' : 'warn',
          message: `${name}: otel.SetTextMapPropagator sets W3C TraceContext${baggage ? ' and Baggage' : ' but not Baggage'}`,
          evidence: [evidence(f, m.index)],
          ...(baggage ? {} : { fix: 'Add propagation.Baggage{} to the composite propagator.' }),
        };
      }
      return {
        status: 'fail',
        message: `${name}: otel.SetTextMapPropagator does not include propagation.TraceContext{}, so traceparent is neither read nor written`,
        evidence: [evidence(f, m.index)],
        fix: 'otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})).',
      };
    }
    return {
      status: 'fail',
      message: `${name}: Go never calls otel.SetTextMapPropagator, and its default propagator is a no-op: traces stop at this service`,
      evidence: setup.setupFiles.map((f) => ({ file: f.path, line: 1 })),
      fix: 'In the tracing setup: otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})).',
    };
  }
  if (setup.setupFiles.length === 0 && !setup.agentStart)
    return { status: 'fail', message: noSdkMessage(service), evidence: [] };
  // A propagator set in code wins over the environment.
  const codeRe =
    service.language === 'node'
      ? /\b(?:textMapPropagator\s*:|propagation\s*\.\s*setGlobalPropagator\s*\(|propagator\s*:)/
      : /\bset_global_textmap\s*\(/;
  for (const f of setup.files) {
    const m = codeRe.exec(f.code);
    if (!m) continue;
    const around = f.code.slice(m.index, m.index + 400);
    const w3c = service.language === 'node' ? /W3CTraceContextPropagator/ : /TraceContextTextMapPropagator/;
    if (w3c.test(around))
      return {
        status: 'pass',
        message: `${name}: the propagator set in code includes W3C Trace Context`,
        evidence: [evidence(f, m.index)],
      };
    return {
      status: 'fail',
      message: `${name}: the propagator set in code does not include W3C Trace Context`,
      evidence: [evidence(f, m.index)],
      fix:
        service.language === 'node'
          ? 'Use new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }).'
          : 'Use CompositePropagator([TraceContextTextMapPropagator(), W3CBaggagePropagator()]).',
    };
  }
  if (service.language === 'node' && !setup.agentStart) {
    const unregistered = providerWithoutPropagator(setup.files);
    if (unregistered) {
      return {
        status: 'fail',
        message: `${name}: ${unregistered.provider} is created but no propagator is registered (no propagation.setGlobalPropagator, provider.register() or NodeSDK), so the global propagator is a no-op: OTEL_PROPAGATORS and the SDK default tracecontext,baggage never apply and traces stop at this service`,
        evidence: [evidence(unregistered.file, unregistered.index)],
        fix: "api.propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] })) from '@opentelemetry/core' (or provider.register() on a NodeTracerProvider, or the NodeSDK).",
      };
    }
  }
  const env = setting(await otelSettings(ctx, service), 'OTEL_PROPAGATORS');
  if (env) {
    const list = env.value.split(',').map((s) => s.trim().toLowerCase());
    if (!list.includes('tracecontext')) {
      return {
        status: 'fail',
        message: `${name}: OTEL_PROPAGATORS=${env.value} leaves out tracecontext, so W3C traceparent headers are ignored`,
        evidence: [env.evidence],
        fix: 'Set OTEL_PROPAGATORS=tracecontext,baggage (add b3 after them if older services need it).',
      };
    }
    if (!list.includes('baggage'))
      return {
        status: 'warn',
        message: `${name}: OTEL_PROPAGATORS=${env.value} has tracecontext but not baggage`,
        evidence: [env.evidence],
        fix: 'Set OTEL_PROPAGATORS=tracecontext,baggage.',
      };
    return { status: 'pass', message: `${name}: OTEL_PROPAGATORS=${env.value}`, evidence: [env.evidence] };
  }
  const where = setup.agentStart?.evidence ?? { file: setup.setupFiles[0]!.path, line: 1 };
  return {
    status: 'pass',
    message: `${name}: no OTEL_PROPAGATORS set, so the SDK default tracecontext,baggage applies`,
    evidence: [where, { note: 'OpenTelemetry SDK default propagators: tracecontext,baggage' }],
  };
}
