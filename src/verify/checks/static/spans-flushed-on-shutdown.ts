/**
 * spans-flushed-on-shutdown: the batch processor holds spans for seconds; a process that stops without shutting the
 * provider down loses them. Node: sdk.shutdown() / provider.shutdown() on SIGTERM (the register module does it itself).
 * Python: the SDK's TracerProvider registers its own atexit shutdown (unless shutdown_on_exit=False), which runs at a
 * normal exit but not when SIGTERM ends the process; trace-guide's set-up also flushes in a SIGTERM handler.
 * This is the reading of the code only: the runtime half (checks/runtime/spans-flushed-on-shutdown.ts) stops each
 * service with SIGTERM right after a request and requires its spans, so this half alone never proves the item. Go: main defers tp.Shutdown (or the shutdown func the setup returns),
 * and since a server killed by SIGTERM never returns from main, a signal handler must trigger it too.
 */
import type { Service } from '../../../types/scan.js';
import type { Check } from '../../check.js';
import { braceFunctions, evidence } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { javaFlushFinding } from './support/java-agent-findings.js';
import { javaServices } from '../../../source-reading/java-agent.js';
import { checkedServices } from '../../../source-reading/repo-files.js';
import { noSdkMessage, sdkSetup, type SdkSetup } from '../../../source-reading/sdk-setup.js';

const ITEM = 'spans-flushed-on-shutdown';

export const spansFlushedOnShutdown: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    for (const service of checkedServices(ctx)) {
      const setup = await sdkSetup(ctx, service);
      findings.push(
        service.language === 'node'
          ? node(service, setup)
          : service.language === 'python'
            ? python(service, setup)
            : go(service, setup),
      );
    }
    for (const service of javaServices(ctx)) findings.push(await javaFlushFinding(ctx, service));
    return combine(ITEM, findings, 'no Node, Python, Go or Java service to check');
  },
};

function find(setup: SdkSetup, re: RegExp) {
  for (const f of setup.files) {
    const m = re.exec(f.code);
    if (m) return { file: f, index: m.index };
  }
  return undefined;
}

function node(service: Service, setup: SdkSetup): Finding {
  if (setup.agentStart)
    return {
      status: 'pass',
      message: `${service.name}: the register module shuts the SDK down on SIGTERM/SIGINT`,
      evidence: [setup.agentStart.evidence],
    };
  if (setup.setupFiles.length === 0) return { status: 'fail', message: noSdkMessage(service), evidence: [] };
  const shutdown = find(setup, /\.\s*shutdown\s*\(\s*\)/);
  const signal = find(setup, /process\s*\.\s*(?:on|once|addListener|prependListener)\s*\(\s*['"]SIGTERM['"]/);
  if (!shutdown) {
    return {
      status: 'fail',
      message: `${service.name}: the SDK is never shut down, so spans still buffered at exit are lost`,
      evidence: setup.setupFiles.map((f) => ({ file: f.path, line: 1 })),
      fix: "Add process.once('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0))) to the tracing setup.",
    };
  }
  if (!signal) {
    return {
      status: 'fail',
      message: `${service.name}: sdk.shutdown() exists but nothing calls it on SIGTERM`,
      evidence: [evidence(shutdown.file, shutdown.index)],
      fix: "Call sdk.shutdown() from process.once('SIGTERM', ...) (and SIGINT), then exit.",
    };
  }
  return {
    status: 'pass',
    message: `${service.name}: the SDK is shut down on SIGTERM`,
    evidence: [evidence(signal.file, signal.index), evidence(shutdown.file, shutdown.index)],
  };
}

function python(service: Service, setup: SdkSetup): Finding {
  // atexit (the SDK's own, or an explicit one) runs at a normal exit only, not when SIGTERM ends the process: what a
  // SIGTERM does is proven by the runtime half, so these readings only say what the code does.
  if (setup.agentStart)
    return {
      status: 'pass',
      message: `${service.name}: opentelemetry-instrument's SDK shuts its provider down at a normal exit (atexit; not when SIGTERM ends the process)`,
      evidence: [setup.agentStart.evidence],
    };
  if (setup.setupFiles.length === 0) return { status: 'fail', message: noSdkMessage(service), evidence: [] };
  const explicit = find(setup, /atexit\s*\.\s*register\s*\([^)]*shutdown/);
  const off = explicit ? undefined : find(setup, /shutdown_on_exit\s*=\s*False/);
  if (off)
    return {
      status: 'fail',
      message: `${service.name}: TracerProvider(shutdown_on_exit=False) and no atexit shutdown: buffered spans are lost at exit`,
      evidence: [evidence(off.file, off.index)],
      fix: 'Register atexit.register(provider.shutdown), or drop shutdown_on_exit=False.',
    };
  const onSigterm = find(setup, /\bsignal\s*\.\s*signal\s*\(\s*(?:signal\s*\.\s*)?SIGTERM\b/);
  if (onSigterm && find(setup, /\.\s*(?:force_flush|shutdown)\s*\(/)) {
    return {
      status: 'pass',
      message: `${service.name}: a SIGTERM handler flushes the tracer provider`,
      evidence: [evidence(onSigterm.file, onSigterm.index)],
    };
  }
  if (explicit)
    return {
      status: 'pass',
      message: `${service.name}: atexit shuts the tracer provider down at a normal exit (not when SIGTERM ends the process)`,
      evidence: [evidence(explicit.file, explicit.index)],
    };
  const provider = find(setup, /\bTracerProvider\s*\(/) ?? find(setup, /set_tracer_provider\s*\(/)!;
  return {
    status: 'pass',
    message: `${service.name}: the SDK's TracerProvider shuts down at a normal exit (shutdown_on_exit defaults to True; not when SIGTERM ends the process)`,
    evidence: provider ? [evidence(provider.file, provider.index)] : [],
  };
}

function go(service: Service, setup: SdkSetup): Finding {
  if (setup.setupFiles.length === 0) return { status: 'fail', message: noSdkMessage(service), evidence: [] };
  const main = setup.files
    .flatMap((f) =>
      braceFunctions(f)
        .filter((r) => r.name === 'main')
        .map((r) => ({ file: f, r })),
    )
    .find(Boolean);
  if (!main)
    return {
      status: 'warn',
      message: `${service.name}: no func main found to check for a deferred Shutdown`,
      evidence: [],
    };
  const body = main.file.code.slice(main.r.start, main.r.end);
  // Variables in main holding a shutdown func returned by the setup: shutdown := setupTracing(ctx) / tp, err := initTracer().
  const vars = [...body.matchAll(/(\w+)(?:\s*,\s*\w+)?\s*:?=\s*[\w.]+\s*\(/g)].map((m) => m[1]!);
  const deferred = [...body.matchAll(/\bdefer\b([^\n]*(?:\n[^\n]*){0,4})/g)].find((m) => {
    const line = m[1]!.split('\n')[0]!;
    return (
      /\bShutdown\s*\(/.test(m[1]!.slice(0, 200)) ||
      vars.some((v) => new RegExp(`^\\s*${v}\\s*\\(|\\b${v}\\.Shutdown\\s*\\(`).test(line)) ||
      /^\s*func\s*\(\)\s*\{[^}]*\b(?:Shutdown|shutdown\w*)\s*\(/.test(m[1]!)
    );
  });
  if (!deferred) {
    return {
      status: 'fail',
      message: `${service.name}: main never defers the tracer provider's Shutdown, so buffered spans are lost at exit`,
      evidence: [evidence(main.file, main.r.start)],
      fix: 'In main: tp := ...; defer func() { _ = tp.Shutdown(context.Background()) }() (or defer the shutdown func your setup returns).',
    };
  }
  const at = evidence(main.file, main.r.start + deferred.index);
  const signal = find(setup, /\bsignal\s*\.\s*(?:Notify|NotifyContext)\s*\(/);
  if (!signal) {
    return {
      status: 'warn',
      message: `${service.name}: Shutdown is deferred in main, but nothing handles SIGTERM, so a stopped server never returns from main to run it`,
      evidence: [at],
      fix: 'Use signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM) and shut the server down gracefully so main returns and the deferred Shutdown runs.',
    };
  }
  return {
    status: 'pass',
    message: `${service.name}: main defers Shutdown and SIGTERM is handled`,
    evidence: [at, evidence(signal.file, signal.index)],
  };
}
