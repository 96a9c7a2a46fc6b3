/**
 * service-name-set: each started service reports a service.name of its own, from its own set-up (the runtime run does
 * not set OTEL_SERVICE_NAME): never unknown_service, never the same name as another service.
 */
import type { Check } from '../../check.js';
import { UNKNOWN_SERVICE } from '../../receiver/span.js';
import { reportedNames, result, runFor, running, withDownServices, type Evidence } from './probe-analysis.js';

const ITEM = 'service-name-set';

export const serviceNameSet: Check = {
  itemId: ITEM,
  async run(ctx) {
    const got = await runFor(ctx, ITEM);
    if ('skipped' in got) return got.skipped;
    const { run } = got;
    const owners = new Map<string, string[]>();
    const unknown: Evidence[] = [];
    const silent: string[] = [];
    for (const s of running(run)) {
      const names = reportedNames(run, s.service.id);
      if (names.length === 0) silent.push(s.service.name);
      for (const name of names) {
        if (name === UNKNOWN_SERVICE || name.startsWith(`${UNKNOWN_SERVICE}:`))
          unknown.push({ note: `${s.service.name} reports service.name=${name}` });
        else owners.set(name, [...(owners.get(name) ?? []), s.service.name]);
      }
    }
    const shared = [...owners]
      .filter(([, who]) => who.length > 1)
      .map(([name, who]) => ({ note: `${who.join(' and ')} all report service.name=${name}` }));
    const named = [...owners].map(([name, who]) => ({ note: `${who.join(', ')} → service.name=${name}` }));
    const fix =
      'Set a distinct service name in each service\'s own set-up: OTEL_SERVICE_NAME in its start script or environment file, or service.name on the resource (resourceFromAttributes({ [ATTR_SERVICE_NAME]: ... }) / Resource.create({"service.name": ...}) / semconv.ServiceName(...)).';
    if (unknown.length > 0 || shared.length > 0) {
      return result(
        ITEM,
        'fail',
        [
          unknown.length ? `${unknown.length} service(s) report unknown_service` : '',
          shared.length ? 'services share a service.name' : '',
        ]
          .filter(Boolean)
          .join('; '),
        [...unknown, ...shared, ...named],
        fix,
      );
    }
    if (silent.length > 0) {
      return withDownServices(
        ITEM,
        run,
        result(
          ITEM,
          'skipped',
          `no spans arrived from ${silent.join(', ')}, so their service.name cannot be seen`,
          named,
          fix,
        ),
      );
    }
    return withDownServices(
      ITEM,
      run,
      result(
        ITEM,
        'pass',
        `every started service reports its own service.name (${[...owners.keys()].join(', ')})`,
        named,
      ),
    );
  },
};
