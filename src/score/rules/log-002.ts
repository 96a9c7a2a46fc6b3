/** LOG-002: every log record sets severityNumber. */
import { notEvaluated, type RuleEvaluator } from '../types.js';

export const evaluateLog002: RuleEvaluator = ({ logs }) => {
  if (!logs.received) return notEvaluated(logs.reason);
  if (logs.records.length === 0) return notEvaluated('no log record arrived');
  const unset = logs.records.filter((r) => !r.severityNumber);
  if (unset.length === 0)
    return { status: 'pass', summary: `all ${logs.records.length} log record(s) set severityNumber`, evidence: [] };
  const services = [...new Set(unset.map((r) => r.serviceName))];
  return {
    status: 'fail',
    summary: `${unset.length} of ${logs.records.length} log record(s) have no severityNumber`,
    evidence: services.map((service) => {
      const count = unset.filter((r) => r.serviceName === service).length;
      return {
        service,
        attribute: 'severityNumber',
        count,
        note: `${count} log record(s) of ${service} leave severityNumber unspecified`,
      };
    }),
  };
};
