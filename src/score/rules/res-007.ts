/** RES-007: every resource carries a non-empty `deployment.environment.name`. */
import { exampleIds, NO_SPANS, notEvaluated, type RuleEvaluator } from '../types.js';
import { isNonEmptyString, resourceGroups } from './resources.js';

export const ENVIRONMENT = 'deployment.environment.name';

export const evaluateRes007: RuleEvaluator = ({ spans }) => {
  const groups = resourceGroups(spans);
  if (groups.length === 0) return notEvaluated(NO_SPANS);
  const missing = groups.filter((g) => !isNonEmptyString(g.resource[ENVIRONMENT]));
  if (missing.length === 0)
    return { status: 'pass', summary: `all ${groups.length} resource(s) carry ${ENVIRONMENT}`, evidence: [] };
  return {
    status: 'fail',
    summary: `${missing.length} of ${groups.length} resource(s) have no ${ENVIRONMENT}`,
    evidence: missing.map((g) => ({
      service: g.service,
      attribute: ENVIRONMENT,
      spanIds: exampleIds(g.spans),
      count: g.spans.length,
      note: `the resource of ${g.service} has no ${ENVIRONMENT}${g.resource['deployment.environment'] !== undefined ? ' (only the deprecated deployment.environment)' : ''}`,
    })),
  };
};
