/**
 * spans-flushed-on-shutdown, proven at runtime: each started service is stopped with SIGTERM shortly after a probe
 * request while its batch processor's schedule delay is far longer than that, and the probe's SERVER span must arrive
 * (see runtime/shutdown-proof.ts). A lost span fails the item; a service the proof could not run for leaves it unproven.
 */
import type { Check } from '../../check.js';
import type { ShutdownProof } from '../../runtime/shutdown-proof.js';
import { result, runFor, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'spans-flushed-on-shutdown';

const FIX: Record<string, string> = {
  node: "Shut the SDK down on SIGTERM in the tracing set-up, with a handler that stays installed until the flush has ended (a wrapper such as tsx passes the signal on a second time, and a second SIGTERM with no handler left ends the process mid-flush): process.on('SIGTERM', onStop), where onStop runs once, awaits sdk.shutdown(), then removes itself and exits.",
  python:
    'Flush the provider on SIGTERM in the set-up, then keep what SIGTERM did before: previous = signal.getsignal(signal.SIGTERM); a handler that calls provider.force_flush() and then previous(signum, frame) (or, for the default, provider.shutdown() and re-raises SIGTERM). atexit alone does not run when SIGTERM ends the process.',
  go: 'Make main return on SIGTERM so the deferred tp.Shutdown(ctx) runs: ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM); serve until ctx.Done(), then shut the server down gracefully.',
};

/**
 * Start commands whose server loses the spans on SIGTERM whatever the set-up does, and what to start instead: Django's
 * autoreloader serves from a child process that its parent kills outright (SIGKILL) when it gets SIGTERM.
 */
const LOSING_COMMANDS: ReadonlyArray<{ pattern: RegExp; fix: string }> = [
  {
    pattern: /\bmanage\.py\s+runserver\b(?![^\n]*--noreload)/,
    fix: 'Start runserver with --noreload: with its autoreloader the serving child process is killed by its parent (SIGKILL) on SIGTERM, before any set-up can flush.',
  },
];

function evidenceOf(proof: ShutdownProof): Evidence {
  return { note: `${proof.serviceName}${proof.command ? ` (${proof.command})` : ''}: ${proof.detail}` };
}

export const spansFlushedOnShutdownAtRuntime: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const proofs = await run.shutdownProof();
    const evidence = proofs.map(evidenceOf);
    const lost = proofs.filter((p) => p.outcome === 'lost');
    if (lost.length > 0) {
      const languages = new Set(lost.map((p) => ctx.services.find((s) => s.id === p.serviceId)?.language ?? ''));
      const byCommand = LOSING_COMMANDS.filter((c) =>
        lost.some((p) => p.command !== undefined && c.pattern.test(p.command)),
      ).map((c) => c.fix);
      const fix = [...byCommand, ...[...languages].map((l) => FIX[l]).filter(Boolean)].join(' ');
      return result(
        ITEM,
        'fail',
        `stopped with SIGTERM ${lost.map((p) => `${p.signalAfterMs} ms`).join(', ')} after a request, ${lost.map((p) => p.serviceName).join(', ')} lost that request's spans`,
        evidence,
        fix || undefined,
      );
    }
    const unproven = proofs.filter((p) => p.outcome !== 'delivered');
    if (proofs.length === 0 || unproven.length > 0) {
      return result(
        ITEM,
        'skipped',
        proofs.length === 0
          ? 'no started service could be stopped to see whether it flushes its spans'
          : `not proven for ${unproven.map((p) => `${p.serviceName} (${p.detail})`).join('; ')}`,
        evidence,
        "Make a probe of each service answer with its SERVER span (step 2's other checks), and leave the batch schedule delay to OTEL_BSP_SCHEDULE_DELAY, then run the checks again.",
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `every started service (${proofs.map((p) => p.serviceName).join(', ')}) delivered a request's spans when stopped with SIGTERM ${Math.max(...proofs.map((p) => p.signalAfterMs ?? 0))} ms or less after it`,
        evidence,
      ),
    );
  },
};
