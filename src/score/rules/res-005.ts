/** RES-005: every resource carries a `service.name` that is a non-empty string (not the SDK's `unknown_service` default). */
import { UNKNOWN_SERVICE } from '../../verify/receiver/span.js';
import { exampleIds, NO_SPANS, notEvaluated, type RuleEvaluator } from '../types.js';
import { isNonEmptyString, resourceGroups } from './resources.js';

export const evaluateRes005: RuleEvaluator = ({ spans }) => {
  const groups = resourceGroups(spans);
  if (groups.length === 0) return notEvaluated(NO_SPANS);
  const bad = groups.filter((g) => {
    const name = g.resource['service.name'];
    return !isNonEmptyString(name) || name.startsWith(UNKNOWN_SERVICE);
  });
  if (bad.length === 0)
    return { status: 'pass', summary: `all ${groups.length} resource(s) name their service`, evidence: [] };
  return {
    status: 'fail',
    summary: `${bad.length} of ${groups.length} resource(s) have no usable service.name`,
    evidence: bad.map((g) => {
      const name = g.resource['service.name'];
      const what =
        name === undefined
          ? 'is missing'
          : isNonEmptyString(name)
            ? `is the SDK's default "${name}"`
            : `is ${JSON.stringify(name)}`;
      return {
        service: g.service,
        attribute: 'service.name',
        spanIds: exampleIds(g.spans),
        count: g.spans.length,
        note: `service.name ${what} (${g.spans.length} span(s))`,
      };
    }),
  };
};
