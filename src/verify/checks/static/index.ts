/** The static checks: each proves one checklist item whose method is `static` by reading the repo. */
import type { Check } from '../../check.js';
import { backendConfigCurrent } from './backend-config-current.js';
import { errorTracesAlwaysKept } from './error-traces-always-kept.js';
import { exporterEndpointMatchesProtocol } from './exporter-endpoint-matches-protocol.js';
import { logsLinkToTraceView } from './logs-link-to-trace-view.js';
import { pitfallErrorsNotRecorded } from './pitfall-errors-not-recorded.js';
import { pitfallHighCardinality } from './pitfall-high-cardinality.js';
import { pitfallOverInstrumentation } from './pitfall-over-instrumentation.js';
import { pitfallSamplerIgnoresParent } from './pitfall-sampler-ignores-parent.js';
import { pitfallSpanNotEnded } from './pitfall-span-not-ended.js';
import { pitfallWrongSpanKind } from './pitfall-wrong-span-kind.js';
import { propagatorsConfigured } from './propagators-configured.js';
import { retentionMatchesPolicy } from './retention-matches-policy.js';
import { sdkStartsBeforeApp } from './sdk-starts-before-app.js';
import { slowTracesKept } from './slow-traces-kept.js';
import { spanMetricsGenerated } from './span-metrics-generated.js';
import { spansFlushedOnShutdown } from './spans-flushed-on-shutdown.js';
import { tailSamplingInCollector } from './tail-sampling-in-collector.js';

export const staticChecks: Check[] = [
  backendConfigCurrent,
  retentionMatchesPolicy,
  sdkStartsBeforeApp,
  exporterEndpointMatchesProtocol,
  spansFlushedOnShutdown,
  pitfallSpanNotEnded,
  pitfallErrorsNotRecorded,
  pitfallOverInstrumentation,
  pitfallHighCardinality,
  pitfallWrongSpanKind,
  propagatorsConfigured,
  pitfallSamplerIgnoresParent,
  tailSamplingInCollector,
  errorTracesAlwaysKept,
  slowTracesKept,
  logsLinkToTraceView,
  spanMetricsGenerated,
];
