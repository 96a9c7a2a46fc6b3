/** RES-006: when a resource sets `service.criticality`, it is one of mission_critical, high, medium, low. */
import { exampleIds, NO_SPANS, notEvaluated, type RuleEvaluator } from '../types.js';
import { resourceGroups } from './resources.js';

export const CRITICALITY_VALUES: readonly string[] = ['mission_critical', 'high', 'medium', 'low'];

export const evaluateRes006: RuleEvaluator = ({ spans }) => {
  const groups = resourceGroups(spans);
  if (groups.length === 0) return notEvaluated(NO_SPANS);
  const set = groups.filter((g) => g.resource['service.criticality'] !== undefined);
  const bad = set.filter((g) => !CRITICALITY_VALUES.includes(String(g.resource['service.criticality'])));
  if (bad.length === 0)
    return {
      status: 'pass',
      summary:
        set.length === 0
          ? `none of ${groups.length} resource(s) sets service.criticality`
          : `${set.length} resource(s) set a valid service.criticality`,
      evidence: [],
    };
  return {
    status: 'fail',
    summary: `${bad.length} resource(s) set service.criticality to a value outside ${CRITICALITY_VALUES.join(', ')}`,
    evidence: bad.map((g) => ({
      service: g.service,
      attribute: 'service.criticality',
      spanIds: exampleIds(g.spans),
      count: g.spans.length,
      note: `service.criticality is ${JSON.stringify(g.resource['service.criticality'])}`,
    })),
  };
};
