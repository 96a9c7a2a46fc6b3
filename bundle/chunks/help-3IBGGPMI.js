import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a as s,c as t}from"./chunk-Z4XLUZHR.js";import{a as e}from"./chunk-ZI24ZIAB.js";import"./chunk-XL62K27J.js";import"./chunk-KXB7FJAT.js";var a=`trace-guide \u2014 OpenTelemetry distributed tracing, step by step, proven by real checks

Usage:
  trace-guide [dir]                 the interactive guide (offers to resume a session found in dir)
  trace-guide resume [dir]          resume the session in dir without asking
  trace-guide scan [dir] [--json]   list the services found: language, framework, entrypoint, clients, tracing
  trace-guide status [dir] [--json] where the session stands: steps, phases, skips, drift of written files
  trace-guide reset [dir]           keep the session file as a backup and start fresh next time
  trace-guide demo                  run the guide on a temporary copy of the bundled demo system
  trace-guide plan [dir] --step N [--set id=value]... [--model[=name] | --offline] [--json]
                                    propose the changes of step N (1-6), with diffs (planner: see below)
  trace-guide apply [dir] --step N (--yes | --dry-run) [--only id,...] [--commit] [--set id=value]...
                    [--model[=name] | --offline] [--json]
                                    apply step N's proposals (all, or --only some); --commit makes one git commit;
                                    plans the step first (with the same planner) when it has no proposals; a note
                                    is never \u2713: a required one "needs your edit" (\u270E, exit 1 until marked --done),
                                    any other is advice (\xB7)
  trace-guide apply [dir] --step N --only note-id,... --done [--json]
                                    mark notes as done by hand once you made their change (nothing is written);
                                    a step with a required note open is not proven
  trace-guide ask [dir] [--step N] "question" [--model[=name] | --offline] [--json]
                                    answer a question: with an API key Claude answers (streamed) from the step's
                                    reference page and the repo's scan; offline, the best passages of the pages
  trace-guide check [dir] [--step N] [--save FILE] [--json]
                                    prove step N (or every step) with its checks: static (code and configs),
                                    runtime (the services run against the built-in receiver), backend (query APIs);
                                    a step whose required checks pass is done; exit 1 when one does not pass
  trace-guide score [dir | --from FILE] [--min N] [--yes] [--save FILE] [--json]
                                    the Instrumentation Score (instrumentation-score/spec) of what really arrives:
                                    the services run against the built-in receiver as for check, each rule is
                                    pass / fail (with evidence: service, spans, attribute, counts, and a fix) or
                                    not evaluated (with why; never counted); exit 1 below --min N (a CI gate) or
                                    when no rule could be evaluated; --from scores a saved run instead (OTLP JSON
                                    lines, as the Collector's file exporter writes them), starting nothing; --yes
                                    applies the fixes that are edits (undo restores them)
  trace-guide receive [--save FILE] [--json]
                                    the built-in OTLP receiver on 127.0.0.1:4318 (HTTP) and :4317 (gRPC), free ports
                                    when taken; prints each trace as a tree with durations until Ctrl-C
  trace-guide diff A B [--json]     compare two snapshots as span trees per trace (root span matched by service and
                                    name): spans added (+), removed (-), renamed, moved to another parent, attributes
                                    changed (~); exit 1 when they differ
  trace-guide doctor [dir] [--yes [--only ids]] [--json]
                                    why spans do not arrive or traces break: runs the services against the built-in
                                    receiver (keeping an endpoint they set themselves on this machine) and names each
                                    cause with its evidence and the fix as a diff (jobs without a port, and traced
                                    scripts under jobs/, scripts/, bin/\u2026, are run once, killed after 30 s); --yes
                                    applies the fixes (undo restores them); exit 1 when a cause was found (or no
                                    spans arrived)
  trace-guide mcp [dir]             serve the JSON commands as MCP tools over stdio (for Claude Code, Claude Desktop,
                                    Cursor and other agents); dir is the tools' default repository
  trace-guide skip [dir] --step N --reason "why" [--json]
                                    skip step N with a reason, as the guide's skip does: recorded in the session
                                    with the required checks left unproven; the step reads "skipped" from then on
  trace-guide undo [dir] [--step N] [--force] [--json]
                                    restore the exact bytes of before (created files removed); --force also
                                    restores files changed since, keeping your version as a backup

dir defaults to the current directory.

Options:
  --json        machine-readable output on stdout (logs and progress go to stderr)
  --set id=v    answer a skill input, e.g. --set backend=local --set sampling-percent=25
                (each step's inputs and choices are listed by \`plan\`; lists are comma separated)
  --model[=name] plan / answer with Claude (default model ${s}, or TRACE_GUIDE_MODEL);
                needs ANTHROPIC_API_KEY; each request times out after 60 s (${t}) and is retried twice
  --offline     the built-in recipes / reference pages, even when ANTHROPIC_API_KEY is set
  --save FILE   (receive, check, score) write the spans received as OTLP JSON lines, as the Collector's file
                exporter does; score --from and diff read them; a file already there is kept as FILE.bak
  --help, -h    this text
  --version, -v the version

Planner: by default \`plan\`, \`apply\` and \`ask\` use Claude when ANTHROPIC_API_KEY is set (the recipes' proposals
are its starting point; ANTHROPIC_BASE_URL is honoured) and the built-in offline recipes when it is not. --offline
forces the recipes; --model without ANTHROPIC_API_KEY is a usage error. The output names the planner used and the
tokens spent. The interactive guide chooses the same way (TRACE_GUIDE_OFFLINE=1 forces the recipes), names the
planner in its header, and answers questions about the current step with \`i\`; \`?\` lists its keys.

The steps: 1 backend, 2 auto-instrumentation, 3 manual spans, 4 context propagation, 5 sampling,
6 correlation with logs and metrics. The session is kept in <dir>/.trace-guide/session.json.

Exit codes:
  ${e.ok}  ok
  ${e.checksFailed}  checks failed, or the work asked for was not (fully) done: a proposal did not apply (for example its
     old text is no longer in the file), undo could not restore a file, git refused the commit
  ${e.usage}  usage or input error (bad arguments, not a directory, unreadable or corrupt session file)
  ${e.internal}  internal error (a bug: please report it with the message)
`;export{a as HELP};
