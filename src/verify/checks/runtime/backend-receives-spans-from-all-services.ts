/**
 * backend-receives-spans-from-all-services: after probing, the receiver holds spans from every started service, each
 * under a service.name of its own (not unknown_service).
 */
import type { Check } from '../../check.js';
import { UNKNOWN_SERVICE } from '../../receiver/span.js';
import {
  arrivalDiagnosis,
  probesOf,
  reportedNames,
  result,
  runFor,
  running,
  withDownServices,
  type Evidence,
} from './probe-analysis.js';

const ITEM = 'backend-receives-spans-from-all-services';

export const backendReceivesSpansFromAllServices: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const silent: Evidence[] = [];
    const unnamed: Evidence[] = [];
    const good: Evidence[] = [];
    for (const s of running(run)) {
      const names = reportedNames(run, s.service.id);
      const probes = probesOf(run, s.service.id)
        .map((p) => `GET ${p.path} → ${p.status ?? p.error}`)
        .join(', ');
      if (names.length === 0) silent.push({ note: `${s.service.name}: no span arrived after ${probes}` });
      else if (names.includes(UNKNOWN_SERVICE) || names.some((n) => n.startsWith(`${UNKNOWN_SERVICE}:`)))
        unnamed.push({ note: `${s.service.name}: spans arrived as ${names.join(', ')}` });
      else good.push({ note: `${s.service.name}: spans arrived as service.name=${names.join(', ')}` });
    }
    if (silent.length > 0 || unnamed.length > 0) {
      return result(
        ITEM,
        'fail',
        [
          silent.length > 0 ? `no spans from ${silent.length} service(s)` : '',
          unnamed.length > 0 ? `${unnamed.length} service(s) report unknown_service` : '',
        ]
          .filter(Boolean)
          .join('; '),
        [...silent, ...unnamed, ...good, ...arrivalDiagnosis(run)],
        'Start each service with its OpenTelemetry set-up (exporter endpoint from OTEL_EXPORTER_OTLP_ENDPOINT) and give it a service.name (OTEL_SERVICE_NAME or the resource in its set-up).',
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(ITEM, 'pass', `spans arrived from all ${good.length} started service(s)`, good),
    );
  },
};
