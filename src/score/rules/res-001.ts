/** RES-001: every resource carries `service.instance.id`. */
import { exampleIds, NO_SPANS, notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';
import { isNonEmptyString, resourceGroups } from './resources.js';

export const ATTRIBUTE = 'service.instance.id';

export const evaluateRes001: RuleEvaluator = ({ spans }) => {
  const groups = resourceGroups(spans);
  if (groups.length === 0) return notEvaluated(NO_SPANS);
  const missing = groups.filter(
    (g) => !isNonEmptyString(g.resource[ATTRIBUTE]) && typeof g.resource[ATTRIBUTE] !== 'number',
  );
  if (missing.length === 0)
    return { status: 'pass', summary: `all ${groups.length} resource(s) carry ${ATTRIBUTE}`, evidence: [] };
  const evidence: RuleEvidence[] = missing.map((g) => ({
    service: g.service,
    attribute: ATTRIBUTE,
    spanIds: exampleIds(g.spans),
    count: g.spans.length,
    note: `the resource of ${g.service} has no ${ATTRIBUTE} (${g.spans.length} span(s))`,
  }));
  return {
    status: 'fail',
    summary: `${missing.length} of ${groups.length} resource(s) have no ${ATTRIBUTE}`,
    evidence,
  };
};
