/**
 * The runtime checks: one per checklist item whose method is `runtime`, all reading one shared runtime run
 * (ctx.runtime()). `runtimeHalfChecks` prove items whose method is static with spans as well; a registry may run them
 * beside the static check of the same item.
 */
import type { Check } from '../../check.js';
import { attributesSemconvAndBusinessContext } from './attributes-semconv-and-business-context.js';
import { backendReceivesSpansFromAllServices } from './backend-receives-spans-from-all-services.js';
import { contextPropagatesOverHttp } from './context-propagates-over-http.js';
import { contextPropagatesOverQueues } from './context-propagates-over-queues.js';
import { customSpansHaveCorrectParents } from './custom-spans-have-correct-parents.js';
import { httpRequestsCreateServerSpans } from './http-requests-create-server-spans.js';
import { parentChildAcrossServices } from './parent-child-across-services.js';
import { pitfallCredentialsInSpans } from './pitfall-credentials-in-spans.js';
import { pitfallContextNotPropagatedAtRuntime } from './pitfall-context-not-propagated.js';
import { pitfallErrorsNotRecordedAtRuntime } from './pitfall-errors-not-recorded.js';
import { pitfallWrongSpanKindAtRuntime } from './pitfall-wrong-span-kind.js';
import { samplingReducesVolume } from './sampling-reduces-volume.js';
import { serviceNameSet } from './service-name-set.js';
import { spansFlushedOnShutdownAtRuntime } from './spans-flushed-on-shutdown.js';
import { traceIdsInLogs } from './trace-ids-in-logs.js';

export const runtimeChecks: Check[] = [
  serviceNameSet,
  httpRequestsCreateServerSpans,
  backendReceivesSpansFromAllServices,
  customSpansHaveCorrectParents,
  attributesSemconvAndBusinessContext,
  contextPropagatesOverHttp,
  contextPropagatesOverQueues,
  parentChildAcrossServices,
  samplingReducesVolume,
  traceIdsInLogs,
  pitfallCredentialsInSpans,
];

/**
 * Runtime proofs of items whose method is static (pitfalls, the flush on shutdown), run beside the static check: the
 * worse outcome decides, so the reading of the code alone never proves such an item.
 */
export const runtimeHalfChecks: Check[] = [
  pitfallContextNotPropagatedAtRuntime,
  pitfallErrorsNotRecordedAtRuntime,
  spansFlushedOnShutdownAtRuntime,
  pitfallWrongSpanKindAtRuntime,
];
