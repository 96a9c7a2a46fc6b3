/**
 * SDK-001: the language runtime is within the range the SDK supports. The range is the one the installed SDK declares
 * itself (package.json engines, Requires-Python), never a table of ours; a service whose range or runtime version
 * could not be read is not counted.
 */
import semver from 'semver';
import { notEvaluated, type RuleEvidence, type RuleEvaluator } from '../types.js';

/**
 * A declared range as a semver range: Python's comma-separated specifiers become space-separated. PEP 440's `~=`, `!=`,
 * `===` and wildcards mean something else than (or nothing in) semver, so such a range is unreadable → undefined.
 */
function semverRange(range: string): string | undefined {
  if (/~=|!=|===|\*/.test(range)) return undefined;
  return semver.validRange(range.replace(/,/g, ' ')) ?? undefined;
}

export const evaluateSdk001: RuleEvaluator = ({ sdk, sdkReason }) => {
  if (sdk.length === 0 && sdkReason) return notEvaluated(sdkReason);
  const known = sdk.filter(
    (f) => f.supportedRange && f.runtimeVersion && semverRange(f.supportedRange) && semver.coerce(f.runtimeVersion),
  );
  if (known.length === 0) {
    const why =
      sdk.length === 0
        ? 'no service reported its SDK'
        : sdk
            .map(
              (f) =>
                `${f.service}: ${!f.supportedRange ? "the SDK's declared runtime range was not found" : !semverRange(f.supportedRange) ? `the SDK's range ${f.supportedRange} could not be read` : 'no runtime version was found'}`,
            )
            .join('; ');
    return notEvaluated(why);
  }
  const evidence: RuleEvidence[] = [];
  for (const f of known) {
    if (semver.satisfies(semver.coerce(f.runtimeVersion!)!, semverRange(f.supportedRange!)!)) continue;
    evidence.push({
      service: f.service,
      count: 1,
      note: `${f.language} runtime ${f.runtimeVersion} (${f.runtimeSource}) is outside the SDK's supported ${f.supportedRange} (${f.rangeSource})`,
    });
  }
  const skipped = sdk.length - known.length;
  const tail = skipped > 0 ? ` (${skipped} service(s) could not be read)` : '';
  if (evidence.length === 0)
    return { status: 'pass', summary: `${known.length} service(s) run a runtime their SDK supports${tail}`, evidence };
  return {
    status: 'fail',
    summary: `${evidence.length} service(s) run a runtime their SDK does not support${tail}`,
    evidence,
  };
};
