import { startReceiver } from '../../verify/receiver/receiver.js';
import { printTracesWhenQuiet } from '../../verify/receiver/trace-printer.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide receive`: the built-in OTLP receiver on its own. Listens on 127.0.0.1:4318 (HTTP) and :4317 (gRPC), or
 * free ports when those are taken (and says so), and prints every trace as an indented tree until Ctrl-C.
 */
export async function runReceive(args: ParsedArgs): Promise<number> {
  const receiver = await startReceiver({});
  for (const [role, fallback] of Object.entries(receiver.usedFallback)) {
    if (fallback) progress(`port ${fallback.wanted} (${role}) is in use: listening on ${fallback.got} instead`);
  }
  progress(
    `trace-guide receiver: OTLP/HTTP ${receiver.httpEndpoint}  OTLP/gRPC ${receiver.grpcEndpoint}\n` +
      `point services at it with OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.httpEndpoint} (http/protobuf) — Ctrl-C stops`,
  );
  const stopPrinting = printTracesWhenQuiet(receiver.store, (text, traceId) => {
    if (args.json) writeJson({ traceId, spans: receiver.store.spansOfTrace(traceId).length, tree: text });
    else writeText(text);
  });
  const stopWrong = receiver.store.onWrongProtocol((arrival) => progress(`${arrival.summary} ${arrival.hint}`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopPrinting();
  stopWrong();
  await receiver.close();
  progress(`received ${receiver.store.receivedCount} span(s) in ${receiver.store.traceIds().length} trace(s)`);
  return EXIT.ok;
}
