/**
 * SDK-001: the language runtime is within the range the SDK supports. The range is the one the installed SDK declares
 * itself (package.json engines, Requires-Python), never a table of ours; a service whose range or runtime version
 * could not be read is not counted.
 */
import semver from 'semver';
import { notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';

export const evaluateSdk001: RuleEvaluator = ({ sdk }) => {
  const known = sdk.filter((f) => f.supportedRange && f.runtimeVersion);
  if (known.length === 0) {
    const why = sdk.length === 0 ? 'no service reported its SDK' : sdk.map((f) => `${f.service}: ${!f.supportedRange ? "the SDK's declared runtime range was not found" : 'no runtime version was found'}`).join('; ');
    return notEvaluated(why);
  }
  const evidence: RuleEvidence[] = [];
  for (const f of known) {
    const version = semver.coerce(f.runtimeVersion!);
    if (version && semver.satisfies(version, f.supportedRange!)) continue;
    evidence.push({ service: f.service, count: 1, note: `${f.language} runtime ${f.runtimeVersion} (${f.runtimeSource}) is outside the SDK's supported ${f.supportedRange} (${f.rangeSource})` });
  }
  const skipped = sdk.length - known.length;
  const tail = skipped > 0 ? ` (${skipped} service(s) could not be read)` : '';
  if (evidence.length === 0) return { status: 'pass', summary: `${known.length} service(s) run a runtime their SDK supports${tail}`, evidence };
  return { status: 'fail', summary: `${evidence.length} service(s) run a runtime their SDK does not support${tail}`, evidence };
};
