/**
 * The doctor: the static causes first (reading the repo), then one runtime run shared by the runtime causes. Nothing is
 * called healthy unless spans arrived: no spans and no cause is itself a finding.
 */
import type { CheckContext } from '../verify/check.js';
import type { RuntimeRun } from '../verify/runtime/runtime-run.js';
import type { Cause, Finding } from './finding.js';
import { CAUSES } from './registry.js';

export interface Diagnosis {
  findings: Finding[];
  /** Spans that arrived at the receiver during the run. */
  spansArrived: number;
  /** Services started / not started, with the reason, and the OTLP endpoint each kept when it set its own. */
  services: { id: string; status: string; reason?: string; ownEndpoint?: string }[];
}

function merge(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const same = out.find((o) => o.cause === f.cause && o.service === f.service && f.service !== undefined);
    if (!same) {
      out.push({ ...f, evidence: [...f.evidence], proposals: [...f.proposals] });
      continue;
    }
    for (const e of f.evidence)
      if (!same.evidence.some((s) => JSON.stringify(s) === JSON.stringify(e))) same.evidence.push(e);
    if (f.confidence === 'high') {
      same.confidence = 'high';
      same.summary = f.summary;
    }
    for (const p of f.proposals)
      if (!same.proposals.some((q) => q.id === p.id && JSON.stringify(q.change) === JSON.stringify(p.change)))
        same.proposals.push(p);
  }
  // One fix per proposal id: later duplicates get a suffix so that applying them together stays unambiguous.
  for (const f of out) {
    const seen = new Set<string>();
    f.proposals = f.proposals.filter((p) =>
      seen.has(JSON.stringify(p.change)) ? false : (seen.add(JSON.stringify(p.change)), true),
    );
    f.proposals = f.proposals.map((p, i) => (i === 0 ? p : { ...p, id: `${p.id}-${i + 1}` }));
  }
  return out;
}

/** `ctx.runtime()` starts the services against the receiver; the caller closes it (as the check runner does). */
export async function diagnose(ctx: CheckContext, causes: readonly Cause[] = CAUSES): Promise<Diagnosis> {
  const found: Finding[] = [];
  for (const cause of causes) if (cause.fromRepo) found.push(...(await cause.fromRepo(ctx)));
  const run: RuntimeRun = await ctx.runtime();
  // A repo finding the run contradicts (spans arrived through what it blames) is no finding.
  for (let i = found.length - 1; i >= 0; i--) {
    const cause = causes.find((c) => c.id === found[i]!.cause);
    if (cause?.refutedBy?.(ctx, run, found[i]!) !== undefined) found.splice(i, 1);
  }
  for (const cause of causes) if (cause.fromRun) found.push(...(await cause.fromRun(ctx, run)));
  const findings = merge(found);
  const spansArrived = run.store.spans().length;
  const services = run.services.map((s) => ({
    id: s.service.id,
    status: s.status,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.ownEndpoint
      ? { ownEndpoint: `${s.ownEndpoint.variable}=${s.ownEndpoint.url} (${s.ownEndpoint.file}:${s.ownEndpoint.line})` }
      : {}),
  }));
  if (findings.length === 0 && spansArrived === 0) {
    const notRunning = run.services.filter((s) => s.status !== 'running');
    findings.push({
      cause: 'no-spans-unexplained',
      summary: 'no spans arrived; cause not identified',
      evidence: [
        ...run.probes.map((p) => ({
          note: `GET ${p.url} → ${p.status ?? p.error ?? 'no answer'}; no span of trace ${p.traceId} arrived`,
        })),
        ...notRunning.map((s) => ({ note: `${s.service.name} was not running: ${s.reason ?? s.status}` })),
        ...(run.waitProblem ? [{ note: run.waitProblem }] : []),
        ...(run.probes.length === 0 && notRunning.length === 0 ? [{ note: 'no service was started or probed' }] : []),
      ],
      confidence: 'low',
      proposals: [],
    });
  }
  return { findings, spansArrived, services };
}
