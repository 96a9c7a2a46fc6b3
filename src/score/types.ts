/**
 * The shapes of the Instrumentation Score (instrumentation-score/spec): a rule's impact and verdict, the evidence a
 * verdict carries, and what the rules read — the spans as the built-in receiver stores them, plus what the run knows
 * about them (the probes' own parents, whether log records arrived, the SDK's declared runtime range).
 */
import type { ReceivedSpan } from '../verify/receiver/span.js';

export type RuleImpact = 'Critical' | 'Important' | 'Normal' | 'Low';

/** The spec's weights per impact level. */
export const IMPACT_WEIGHTS: Record<RuleImpact, number> = { Critical: 40, Important: 30, Normal: 20, Low: 10 };

export type RuleStatus = 'pass' | 'fail' | 'not-evaluated';

/** One fact behind a verdict: which service, trace, spans and attribute, and how many. */
export interface RuleEvidence {
  service?: string;
  traceId?: string;
  /** At most a few span ids, as examples. */
  spanIds?: string[];
  attribute?: string;
  count?: number;
  note: string;
}

export interface RuleVerdict {
  status: RuleStatus;
  /** One line: what was read and what it showed (for not-evaluated: why it could not be evaluated). */
  summary: string;
  evidence: RuleEvidence[];
}

/** A log record as far as the log rules read it. */
export interface ScoredLogRecord {
  serviceName: string;
  /** OTLP SeverityNumber; 0 or absent is "unspecified". */
  severityNumber?: number;
  body?: string;
}

/** The runtime range a service's SDK declares, and the runtime its resource reports. */
export interface SdkRuntimeFacts {
  service: string;
  /** telemetry.sdk.language, e.g. nodejs, python. */
  language: string;
  /** The runtime range the installed SDK declares (package.json engines, Requires-Python); absent when not found. */
  supportedRange?: string;
  /** Where that range was read. */
  rangeSource?: string;
  /** process.runtime.version from the resource, else the version of the runtime that started the service. */
  runtimeVersion?: string;
  runtimeSource?: string;
}

export interface ScoreInput {
  spans: readonly ReceivedSpan[];
  /**
   * Parents that are known to live outside what was received: the never-exported parent of each probe's traceparent,
   * as `traceId/spanId`. A span whose parent is one of them is a trace's local root, not an orphan.
   */
  remoteParents: ReadonlySet<string>;
  /** Log records, or why none can be read. */
  logs: { received: true; records: readonly ScoredLogRecord[] } | { received: false; reason: string };
  /** Per service: the SDK's declared runtime range and the runtime version; absent when nothing could be read. */
  sdk: readonly SdkRuntimeFacts[];
  /** Why no SDK facts can be read at all (a saved file); absent in a run. */
  sdkReason?: string;
}

export type RuleEvaluator = (input: ScoreInput) => RuleVerdict;

export function remoteParentKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** At most `n` span ids, as examples in evidence. */
export function exampleIds(spans: readonly ReceivedSpan[], n = 3): string[] {
  return spans.slice(0, n).map((s) => s.spanId);
}

export function notEvaluated(summary: string): RuleVerdict {
  return { status: 'not-evaluated', summary, evidence: [] };
}

export const NO_SPANS = 'no span arrived, so there is nothing to read';
