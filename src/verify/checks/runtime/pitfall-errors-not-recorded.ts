/**
 * pitfall-errors-not-recorded, runtime half (the item's method is static; this proves it with spans): a request to a
 * route that fails on purpose (/fail...) leaves a span with error status and an `exception` event in its trace.
 */
import type { Check } from '../../check.js';
import { answerOf, probeLabel, result, runFor, spanNote, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'pitfall-errors-not-recorded';

export const pitfallErrorsNotRecordedAtRuntime: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const errorProbes = run.probes.filter((p) => p.expectError && p.status !== undefined);
    if (errorProbes.length === 0)
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'nothing-to-check',
          'nothing to check at runtime: no route that fails on purpose (/fail, /error...) was found to probe',
        ),
      );
    const bad: Evidence[] = [];
    const good: Evidence[] = [];
    for (const probe of errorProbes) {
      const answer = answerOf(run, probe);
      const spans = run.store.spansOfTrace(answer?.span.traceId ?? probe.traceId);
      const errored = spans.filter((s) => s.status.code === 'error');
      const withException = spans.filter((s) => s.events.some((e) => e.name === 'exception'));
      if (spans.length === 0) bad.push({ note: `${probeLabel(probe)}: no spans arrived` });
      else if (errored.length === 0)
        bad.push({ note: `${probeLabel(probe)}: none of its ${spans.length} span(s) has error status` });
      else if (withException.length === 0)
        bad.push({
          note: `${probeLabel(probe)}: ${errored.length} span(s) with error status but no exception event (e.g. ${spanNote(errored[0] as (typeof errored)[number])})`,
        });
      else
        good.push({
          note: `${probeLabel(probe)}: error status on ${errored.length} span(s), exception recorded on ${spanNote(withException[0] as (typeof withException)[number])}`,
        });
    }
    if (bad.length > 0) {
      return result(
        ITEM,
        'fail',
        `${bad.length} failing request(s) left no recorded error`,
        [...bad, ...good],
        'Where code catches or returns an error inside a span, call recordException / record_exception / RecordError and set the status to ERROR.',
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(ITEM, 'pass', `${good.length} failing request(s), each with error status and a recorded exception`, good),
    );
  },
};
