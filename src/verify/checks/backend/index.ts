/**
 * The backend checks: items whose method is `backend` in skill.yaml. They talk to the running trace backend (OTLP
 * endpoint, query APIs, Prometheus) at the ports the compose file publishes, or the TRACE_GUIDE_*_URL overrides.
 */
import type { Check } from '../../check.js';
import { backendAcceptsOtlp } from './backend-accepts-otlp.js';
import { backendUiReachable } from './backend-ui-reachable.js';
import { metricsLinkToTracesViaExemplars } from './metrics-link-to-traces-via-exemplars.js';

export const backendChecks: Check[] = [backendAcceptsOtlp, backendUiReachable, metricsLinkToTracesViaExemplars];

export { createBackendAcceptsOtlpCheck } from './backend-accepts-otlp.js';
export { createBackendUiReachableCheck } from './backend-ui-reachable.js';
export { createMetricsLinkToTracesViaExemplarsCheck } from './metrics-link-to-traces-via-exemplars.js';
export type { BackendCheckOptions } from './options.js';
