import { checkSavePath, savedLine, saveSnapshot } from '../../snapshot/save.js';
import { startReceiver } from '../../verify/receiver/receiver.js';
import { describeDrops, formatBytes, type SpanStore } from '../../verify/receiver/span-store.js';
import { spanToJson } from '../../verify/receiver/span.js';
import { printTracesWhenQuiet } from '../../verify/receiver/trace-printer.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progress, writeJson, writeText } from '../output.js';

/**
 * `trace-guide receive`: the built-in OTLP receiver on its own. Listens on 127.0.0.1:4318 (HTTP) and :4317 (gRPC), or
 * free ports when those are taken (and says so), and prints every trace as an indented tree until Ctrl-C. `--save FILE`
 * writes what it kept, at the end, as OTLP JSON lines (`score --from FILE` and `diff` read them).
 */
export async function runReceive(args: ParsedArgs): Promise<number> {
  if (args.save !== undefined) checkSavePath(args.save);
  const receiver = await startReceiver({});
  for (const [role, fallback] of Object.entries(receiver.usedFallback)) {
    if (fallback) progress(`port ${fallback.wanted} (${role}) is in use: listening on ${fallback.got} instead`);
  }
  progress(
    `trace-guide receiver: OTLP/HTTP ${receiver.httpEndpoint}  OTLP/gRPC ${receiver.grpcEndpoint}\n` +
      `point services at it with OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.httpEndpoint} (http/protobuf) — Ctrl-C stops`,
  );
  const stopPrinting = printTracesWhenQuiet(receiver.store, (text, traceId) => {
    if (args.json) {
      const spans = receiver.store.spansOfTrace(traceId);
      // Each span whole (attributes, status, events, links, resource; nanoseconds as decimal strings), not only the tree.
      writeJson({ traceId, spans: spans.length, tree: text, spanDetails: spans.map(spanToJson) });
    } else writeText(text);
  });
  const stopWrong = receiver.store.onWrongProtocol((arrival) => progress(`${arrival.summary} ${arrival.hint}`));
  const stopLimits = noticeLimits(receiver.store);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopPrinting();
  stopWrong();
  stopLimits();
  await receiver.close();
  progress(receiveSummary(receiver.store));
  if (args.save !== undefined) progress(savedLine(await saveSnapshot(args.save, receiver.store.spans())));
  return EXIT.ok;
}

/** Says once, as it first happens, that spans are being dropped or values cut to keep the receiver's memory bounded. */
function noticeLimits(store: SpanStore): () => void {
  let toldDrops = false;
  let toldCuts = false;
  return store.onSpans(() => {
    const report = store.limitsReport();
    if (!toldDrops && store.droppedCount > 0) {
      toldDrops = true;
      progress(`the receiver is full: ${describeDrops(report)} (the summary at the end has the totals)`);
    }
    if (!toldCuts && report.truncatedValues > 0) {
      toldCuts = true;
      progress(`oversized values are being cut on arrival (a marker "…[truncated by trace-guide: …]" shows where)`);
    }
  });
}

/** The closing line: what arrived, what is kept, and what the memory bounds dropped or cut. */
export function receiveSummary(store: SpanStore): string {
  const report = store.limitsReport();
  const parts = [`received ${store.receivedCount} span(s) in ${store.traceIds().length} trace(s)`];
  if (store.droppedCount > 0 || report.truncatedValues > 0) {
    parts.push(`kept ${store.spanCount} (≈ ${formatBytes(report.retainedBytes)} of ${formatBytes(report.maxBytes)})`);
  }
  if (store.droppedCount > 0) parts.push(describeDrops(report));
  if (report.truncatedValues > 0) parts.push(`${report.truncatedValues} oversized value(s) cut`);
  return parts.join('; ');
}
