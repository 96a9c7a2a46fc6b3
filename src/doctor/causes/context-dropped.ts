/**
 * Cause 8: the context is dropped inside one process — one request makes several root spans in one service. At runtime
 * (high): while a probe with a sampled traceparent was in flight, the service's SERVER span continued that traceparent
 * but other spans of the same service started traces of their own. From the code (medium), to point at the line: Go
 * calls made without the request's ctx (database/sql without *Context, context.Background()/TODO() or a gin.Context
 * where the request context is at hand, goroutines starting spans from a context not passed in); Node spans started
 * from the active context when no context manager is registered, or from ROOT_CONTEXT; Python thread targets that start
 * spans without contextvars.copy_context(). Edits are proposed only where the rewrite keeps the code compiling and the
 * semantics safe; otherwise the evidence says why none is.
 *
 * This file combines the parts into the cause; the linters, the proposals built from them and the runtime check live in
 * ../context-dropped/.
 */
import type { Service } from '../../types/scan.js';
import { evidence } from '../../source-reading/code.js';
import { CONTEXT_DROPPED_ID as ID, type DropSite } from '../context-dropped/drop-site.js';
import { extraRootNotes, nonEntryRoots } from '../context-dropped/runtime-roots.js';
import { lintService } from '../context-dropped/service-lint.js';
import { proposalsFor } from '../context-dropped/site-proposals.js';
import type { Cause, DoctorEvidence, Finding } from '../finding.js';

function siteEvidence(site: DropSite): DoctorEvidence {
  const e = evidence(site.file, site.index);
  return { file: e.file, line: e.line, ...(e.text ? { text: e.text } : {}), note: site.note };
}

const HINTS: Partial<Record<Service['language'], string>> = {
  go: "look between the SERVER span and the spans listed for tracer.Start, database or HTTP client calls given context.Background(), context.TODO(), a *gin.Context or no context at all, and for goroutines that do not receive the request's ctx",
  node: "look for spans started with ROOT_CONTEXT, or from the active context after a callback or event emitter that lost it — pass the request's context explicitly (tracer.startSpan(name, options, ctx))",
  python:
    'look for threads, executors or event loops that run span-making code without contextvars.copy_context(), and for spans started with an explicit context=None / empty Context()',
};

export const contextDroppedCause: Cause = {
  id: ID,
  async fromRepo(ctx) {
    const out: Finding[] = [];
    for (const service of ctx.services) {
      if (service.language !== 'go' && service.language !== 'node' && service.language !== 'python') continue;
      const { sites, extra } = await lintService(ctx, service);
      if (sites.length === 0) continue;
      const { proposals, unpaired } = proposalsFor(service, sites);
      const places = new Set(sites.map((s) => `${s.file.path}:${evidence(s.file, s.index).line}`)).size;
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: ${sites[0]!.what}${places > 1 ? ` (${places} places in the code)` : ''}`,
        evidence: [
          ...sites.slice(0, 10).map(siteEvidence),
          ...unpaired.map((s) => ({
            ...siteEvidence(s),
            note: `no edit proposed here: the lines around it are not unique in ${s.file.path} or the rewrites overlap`,
          })),
        ],
        confidence: 'medium',
        proposals: proposals.length > 0 ? [...proposals, ...extra] : [],
      });
    }
    return out;
  },
  async fromRun(ctx, run) {
    const out: Finding[] = [];
    const roots = nonEntryRoots(run);
    for (const service of ctx.services) {
      const notes = extraRootNotes(run, service, roots);
      if (notes.length === 0) continue;
      // When the code lint pinned no line down, say where to look (the finding then carries no edit).
      const hint = HINTS[service.language];
      if (hint && (await lintService(ctx, service)).sites.length === 0)
        notes.push({ note: `no line was pinned down in the code: ${hint}` });
      out.push({
        cause: ID,
        service: service.id,
        summary: `${service.name}: one request makes several traces — the request's context is lost inside the service, so spans made while handling it start traces of their own`,
        evidence: notes.slice(0, 5),
        confidence: 'high',
        proposals: [],
      });
    }
    return out;
  },
};
