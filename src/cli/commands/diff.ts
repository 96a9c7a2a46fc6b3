import { readSavedRun } from '../../score/from-file.js';
import type { SnapshotSide } from '../../snapshot/diff-report.js';
import { diffJson, diffText, hasDifferences, summarize } from '../../snapshot/diff-report.js';
import { diffSnapshots } from '../../snapshot/span-tree-diff.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';

/**
 * `trace-guide diff A B [--json]`: two snapshots (OTLP JSON lines, as `--save` or the Collector's file exporter write
 * them) compared as span trees per trace — spans added, removed, renamed, moved to another parent, attributes changed.
 * Exit 0 when they are the same, 1 when they differ (as diff(1)), 2 on bad input (naming file:line).
 */
export async function runDiff(args: ParsedArgs): Promise<number> {
  const [fileA, fileB] = args.snapshots!;
  const before = (await readSavedRun(fileA)).input.spans;
  const after = (await readSavedRun(fileB)).input.spans;
  const traces = diffSnapshots(before, after);
  const side = (file: string, spans: typeof before): SnapshotSide => ({
    file,
    traces: new Set(spans.map((s) => s.traceId)).size,
    spans: spans.length,
  });
  if (args.json) writeJson(diffJson(side(fileA, before), side(fileB, after), traces));
  else writeText(diffText(side(fileA, before), side(fileB, after), traces));
  return hasDifferences(summarize(traces)) ? EXIT.checksFailed : EXIT.ok;
}
