import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { Spinner, TextInput } from '@inkjs/ui';
import { accepted, currentStep, failingRequired, isFinished, pendingNotes } from '../../session/machine.js';
import type { InputValue, Session } from '../../session/schema.js';
import { requiredCheckIds, unprovenRequired } from '../../session/required-checks.js';
import { checklistFor, getChecklistItem } from '../../skill/lookup.js';
import type { Skill } from '../../skill/schema.js';
import type { CheckResult } from '../../verify/check-result.js';
import type { Finding } from '../../doctor/finding.js';
import { chosenFixes } from '../../workflow/doctor-fixes.js';
import type { ApplyProgress, GuideActions, ObservedTraces, PlannedView, ProposalPreview } from '../actions.js';
import { TraceView } from '../trace/TraceView.js';
import { changeText, checkLines, formatElapsed, MARK, planUsageLine, plannerLabel, wrapLines, type Line } from '../text.js';
import { AskPanel } from './AskPanel.js';
import { HelpOverlay } from './HelpOverlay.js';
import { InputsForm } from './InputsForm.js';
import { ProposalReview } from './ProposalReview.js';
import { clampOffset, LineText, ScrollView } from './ScrollView.js';
import { useKeys } from '../use-keys.js';

export interface StepFlowProps {
  session: Session;
  skill: Skill;
  actions: GuideActions;
  /** Lines the panel's body may use (the rest of the screen is the header and the rail). */
  height: number;
  /** Columns inside the panel. */
  width: number;
  color: boolean;
  onSession(session: Session): void;
  onQuit(): void;
}

interface Busy {
  label: string;
  startedAt: number;
  /** What is being applied right now. */
  detail?: string;
  /** A command running, with when it started. */
  command?: { text: string; startedAt: number };
  output?: string;
}

interface LiveCheck {
  itemId: string;
  title: string;
  result?: CheckResult;
}

type Overlay = { kind: 'help' } | { kind: 'skip' } | { kind: 'undo' } | { kind: 'ask' } | undefined;

interface Failure {
  message: string;
  /** What the user can do about it (a TraceGuideError's hint). */
  hint?: string;
}

const describe = (error: unknown): Failure => {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return { message: error instanceof Error ? error.message : String(error), ...(typeof hint === 'string' && hint ? { hint } : {}) };
};

/**
 * The current step of a session, phase by phase: the questions and "Plan", the proposals to review, applying them,
 * the checks that prove the step, then the next step. Every change goes through `actions` (the core); this component
 * only keeps what is on screen (the cursor, the running spinner, an open overlay).
 */
export function StepFlow({ session, skill, actions, height, width, color, onSession, onQuit }: StepFlowProps) {
  const index = session.current;
  const record = currentStep(session);
  const openNotes = pendingNotes(record);
  const step = skill.steps[index]!;
  const [busy, setBusy] = useState<Busy | undefined>();
  const [live, setLive] = useState<LiveCheck[] | undefined>();
  const [planned, setPlanned] = useState<PlannedView | undefined>();
  const [overlay, setOverlay] = useState<Overlay>();
  const [error, setError] = useState<Failure | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [typing, setTyping] = useState(false);
  const [diffOpen, setDiffOpen] = useState(false);
  const [offset, setOffset] = useState(0);
  const [observed, setObserved] = useState<ObservedTraces | undefined>();
  const [tracesOpen, setTracesOpen] = useState(false);
  const [findings, setFindings] = useState<Finding[] | undefined>();
  const [, setTick] = useState(0);

  useEffect(() => {
    if (!busy) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [busy]);
  useEffect(() => setOffset(0), [index, record.phase]);
  useEffect(() => setTracesOpen(false), [index, record.phase]);
  useEffect(() => setFindings(undefined), [index]);

  const run = useCallback(
    async <T,>(label: string, work: () => Promise<T>, done: (value: T) => void) => {
      setError(undefined);
      setNotice(undefined);
      setBusy({ label, startedAt: Date.now() });
      try {
        done(await work());
      } catch (failure) {
        setError(describe(failure));
      } finally {
        setBusy(undefined);
        setLive(undefined);
      }
    },
    [],
  );

  const plan = (inputs: Record<string, InputValue>) =>
    run(actions.planner.kind === 'model' ? `Planning the step with ${plannerLabel(actions.planner)}` : 'Planning the step', () => actions.plan(index, inputs), (view) => {
      setPlanned(view);
      onSession(view.session);
    });

  const apply = (only: string[]) => {
    const onProgress = (event: ApplyProgress) => {
      setBusy((before) => {
        if (!before) return before;
        if (event.type === 'start') {
          const change = event.proposal.change;
          const { command: _command, output: _output, ...rest } = before;
          return {
            ...rest,
            detail: event.proposal.title,
            ...(change.kind === 'command' ? { command: { text: change.command, startedAt: Date.now() } } : {}),
          };
        }
        if (event.type === 'output') {
          const last = event.text.trimEnd().split('\n').pop();
          return last ? { ...before, output: last } : before;
        }
        return before;
      });
    };
    void run(`Applying ${only.length} proposal(s)`, () => actions.apply(index, only, onProgress), (view) => onSession(view.session));
  };

  const check = () => {
    const items = checklistFor(skill, step.id, session.inputs);
    setLive([]);
    void run(
      `Checking step ${index + 1}`,
      () =>
        actions.check(index, (event) => {
          setLive((before) => {
            const rows = before ?? [];
            if (event.type === 'start') return [...rows, { itemId: event.item.id, title: event.item.title }];
            return rows.map((row) => (row.itemId === event.item.id ? { ...row, result: event.result } : row));
          });
        }),
      (view) => {
        onSession(view.session);
        setObserved(view.observed);
        setFindings(view.findings);
        if (items.length === 0) setNotice('This step has no checks.');
      },
    );
  };

  const simple = (label: string, work: () => Promise<Session>) => void run(label, work, onSession);

  const fixes = chosenFixes(findings ?? []);
  const applyFixes = () =>
    void run(`Applying the doctor's ${fixes.length} fix(es)`, () => actions.fix(fixes), (view) => {
      onSession(view.session);
      setFindings(undefined);
      const failed = view.results.filter((r) => !r.ok);
      setNotice(
        `${view.written.length} file(s) changed by the doctor's fixes${view.written.length ? ` (${view.written.join(', ')})` : ''}` +
          (failed.length ? `; not applied: ${failed.map((r) => `${r.proposalId}${r.message ? ` (${r.message})` : ''}`).join('; ')}` : '') +
          '. r checks again.',
      );
    });

  const writesOfStep = session.writes.filter((w) => w.step === step.id).length;
  const canCheck = record.phase === 'verify' || record.phase === 'done';
  const hasTraces = (observed?.spans.length ?? 0) > 0;

  useKeys(
    (input, key) => {
      if (overlay?.kind === 'help') {
        if (key.escape || input === '?' || input === 'q') setOverlay(undefined);
        return;
      }
      if (overlay?.kind === 'undo') {
        if (input === 'y') {
          setOverlay(undefined);
          void run(`Undoing step ${index + 1}`, () => actions.undo(index), (view) => {
            onSession(view.session);
            setPlanned(undefined);
            setNotice(
              `${view.undone} file change(s) undone.` + (view.failed.length > 0 ? ` Not undone: ${view.failed.map((f) => `${f.path} (${f.message})`).join('; ')}` : ''),
            );
          });
        } else if (input === 'n' || key.escape) setOverlay(undefined);
        return;
      }
      if (overlay?.kind === 'skip') {
        if (key.escape) setOverlay(undefined);
        return;
      }
      // The ask panel takes its own keys.
      if (overlay?.kind === 'ask') return;
      if (busy || typing || diffOpen || tracesOpen) return;
      if (input === 'q') return onQuit();
      if (input === '?') return setOverlay({ kind: 'help' });
      if (input === 'i') return setOverlay({ kind: 'ask' });
      if (input === 's' && record.phase !== 'done') return setOverlay({ kind: 'skip' });
      if (input === 'u') {
        if (writesOfStep === 0) setNotice('This step changed no file: there is nothing to undo.');
        else setOverlay({ kind: 'undo' });
        return;
      }
      if ((input === 'c' || input === 'r') && canCheck) return check();
      if (input === 'f' && canCheck && fixes.length > 0) return applyFixes();
      if (input === 't' && canCheck) {
        if (hasTraces) setTracesOpen(true);
        else setNotice('No traces were observed: run the checks of a step that starts the services.');
        return;
      }
      if (input === 'n' && record.phase === 'done') {
        if (isFinished(session) && index === session.steps.length - 1) return setNotice('This was the last step: the guide is finished.');
        return simple('Moving on', () => actions.next());
      }
      if (input === 'b' && record.phase !== 'review') return simple('Going back', () => actions.back());
      if (input === 'a' && record.phase === 'apply') return apply(accepted(record).map((p) => p.id));
      if (input === 'd' && openNotes.length > 0) {
        return void run('Marking the notes done', () => actions.markNotesDone(index, openNotes.map((p) => p.id)), (next) => {
          onSession(next);
          setNotice(`Marked done by hand: ${openNotes.map((p) => p.title).join('; ')}. r checks the step again.`);
        });
      }
      if (key.downArrow) setOffset((o) => o + 1);
      if (key.upArrow) setOffset((o) => Math.max(0, o - 1));
    },
  );

  const previews: ProposalPreview[] = useMemo(() => {
    if (planned && planned.session.current === index && samePlan(planned.previews, record.proposals)) return planned.previews;
    return record.proposals.map((proposal) => ({ proposal, text: changeText(proposal) }));
  }, [planned, index, record.proposals]);

  const bodyHeight = Math.max(4, height - (error ? (error.hint ? 2 : 1) : 0) - (notice ? 1 : 0));

  let body: React.ReactNode;
  if (busy) {
    body = <BusyView busy={busy} live={live} height={bodyHeight} width={width} color={color} skill={skill} required={requiredIds(skill, session)} />;
  } else if (overlay?.kind === 'help') {
    body = <HelpOverlay width={width} />;
  } else if (overlay?.kind === 'ask') {
    body = (
      <AskPanel
        stepNumber={index + 1}
        stepTitle={step.title}
        planner={actions.planner}
        ask={(question, onText) => actions.ask(index, question, onText)}
        height={bodyHeight}
        width={width}
        color={color}
        onClose={() => setOverlay(undefined)}
      />
    );
  } else if (tracesOpen && observed && canCheck) {
    body = <TraceView observed={observed} height={bodyHeight} width={width} color={color} onClose={() => setTracesOpen(false)} />;
  } else if (overlay?.kind === 'skip') {
    const unproven = record.phase === 'done' ? [] : unprovenRequired(requiredIds(skill, session), record.checks);
    body = (
      <Box flexDirection="column">
        <Text bold>Skip step {index + 1}, {step.title}?</Text>
        <Text wrap="wrap">
          {unproven.length > 0 ? `Not proven, and recorded as such: ${unproven.join(', ')}.` : 'The skip is recorded with the session.'}
        </Text>
        <Text>Reason (optional) — enter skips, esc cancels:</Text>
        <Box>
          <Text color={color ? 'cyan' : undefined}>› </Text>
          <TextInput
            placeholder="why this step is skipped"
            onSubmit={(reason) => {
              setOverlay(undefined);
              simple(`Skipping step ${index + 1}`, () => actions.skip(index, reason.trim() || undefined));
            }}
          />
        </Box>
      </Box>
    );
  } else if (overlay?.kind === 'undo') {
    body = (
      <Box flexDirection="column">
        <Text bold>
          Undo the {writesOfStep} file change(s) step {index + 1} made?
        </Text>
        <Text dimColor>The files get back the exact content they had; the step goes back to planning.</Text>
        <Text>y undo · n keep them</Text>
      </Box>
    );
  } else if (record.phase === 'plan') {
    body = (
      <InputsForm
        key={`${index}-${session.updatedAt}`}
        skill={skill}
        stepId={step.id}
        session={session}
        width={width}
        isActive={!overlay}
        onPlan={(inputs) => void plan(inputs)}
        onTyping={setTyping}
      />
    );
  } else if (record.phase === 'review') {
    const uncovered = planned?.session.current === index ? planned.uncovered : [];
    const usage = planned?.session.current === index ? planned.usage : undefined;
    body = (
      <Box flexDirection="column">
        {usage ? (
          <Text dimColor wrap="truncate-end">
            {planUsageLine(usage)}
          </Text>
        ) : null}
        {uncovered.length > 0 ? (
          <Text color={color ? 'yellow' : undefined} wrap="truncate-end">
            No built-in recipe for: {uncovered.map((u) => `${u.service} (${u.language})`).join(', ')}
          </Text>
        ) : null}
        <ProposalReview
          key={record.proposals.map((p) => p.id).join(',')}
          previews={previews}
          nothingProposed={planned?.session.current === index ? (planned.nothingProposed ?? []) : []}
          decisions={record.decisions}
          height={bodyHeight - (uncovered.length > 0 ? 1 : 0) - (usage ? 1 : 0)}
          width={width}
          color={color}
          isActive={!overlay}
          onApply={apply}
          onBack={() => simple('Going back to the questions', () => actions.back())}
          onDiffOpen={setDiffOpen}
        />
      </Box>
    );
  } else {
    const lines = [...resultLines(session, skill, color, width), ...wrapLines(doctorLines(findings, color), width)];
    const keys = (fixes.length > 0 ? 'f apply the doctor\'s fixes · ' : '') + phaseKeys(session, writesOfStep > 0, hasTraces);
    body = (
      <Box flexDirection="column">
        <ScrollView lines={lines} height={bodyHeight - 1} offset={clampOffset(offset, lines.length, bodyHeight - 2)} />
        <Text color={color ? 'cyan' : undefined} wrap="truncate-end">
          {keys}
        </Text>
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      {body}
      {notice ? <Text color={color ? 'yellow' : undefined} wrap="truncate-end">{notice}</Text> : null}
      {error ? (
        <Text color={color ? 'red' : undefined} wrap="truncate-end">
          ✗ {error.message}
        </Text>
      ) : null}
      {error?.hint ? (
        <Text dimColor wrap="truncate-end">
          {'  '}hint: {error.hint}
        </Text>
      ) : null}
    </Box>
  );
}

function samePlan(previews: readonly ProposalPreview[], proposals: readonly { id: string }[]): boolean {
  return previews.length === proposals.length && previews.every((p, i) => p.proposal.id === proposals[i]!.id);
}

function requiredIds(skill: Skill, session: Session): string[] {
  return requiredCheckIds(skill, currentStep(session).id, session.inputs);
}

/** The doctor's findings after a runtime check failed: cause, summary, first evidence, and the fixes `f` applies. */
export function doctorLines(findings: readonly Finding[] | undefined, color: boolean): Line[] {
  if (!findings || findings.length === 0) return [];
  const lines: Line[] = [{ text: 'Doctor — why the runtime checks failed:', bold: true }];
  for (const f of findings) {
    lines.push({ text: `✗ ${f.summary} (${f.cause}, confidence ${f.confidence})`, ...(color ? { color: 'red' } : {}) });
    const first = f.evidence[0];
    if (first) lines.push({ text: `    ${first.file ? `${first.file}:${first.line ?? '?'}: ` : ''}${first.note}`, dim: true });
    for (const p of f.proposals) lines.push({ text: `    fix: ${p.title}${p.change.kind === 'note' ? ' (advice)' : ''}`, ...(color ? { color: 'yellow' } : {}) });
  }
  return lines;
}

/** What applying gave and what the checks found, as lines of one scrollable view. */
export function resultLines(session: Session, skill: Skill, color: boolean, width: number): Line[] {
  const record = currentStep(session);
  const lines: Line[] = [];
  if (record.applied.length > 0) {
    lines.push({ text: 'Applied:', bold: true });
    for (const result of record.applied) {
      const title = record.proposals.find((p) => p.id === result.proposalId)?.title ?? result.proposalId;
      // A note is never ✓: trace-guide changed nothing (✎ needs your edit until marked done by you; · advice).
      const note = result.ok && result.status === 'needs-edit';
      const advice = result.ok && result.status === 'advice';
      const markedDone = note && (record.notesDone ?? []).includes(result.proposalId);
      lines.push({
        text: note
          ? `${markedDone ? '✓' : '✎'} ${title} — ${markedDone ? 'done by you' : 'needs your edit'}`
          : advice
            ? `· ${title} — advice, nothing was changed`
            : `${result.ok ? '✓' : '✗'} ${title}${result.message ? ` — ${result.message}` : ''}`,
        ...(color ? { color: note ? (markedDone ? 'green' : 'yellow') : advice ? 'gray' : result.ok ? 'green' : 'red' } : {}),
      });
    }
  } else if (record.phase === 'verify' && record.proposals.length > 0 && record.checks.length === 0) {
    lines.push({ text: 'Nothing was applied in this step.', dim: true });
  }
  if (record.checks.length > 0) {
    const required = new Set(record.required);
    lines.push({ text: `Checks (run ${record.checkRuns}):`, bold: true });
    for (const result of record.checks) {
      const title = skill.checklist.find((c) => c.id === result.itemId)?.title ?? result.itemId;
      lines.push(...checkLines(result, title, required.has(result.itemId), color));
    }
  }
  if (record.phase === 'done') {
    if (record.outcome === 'skipped') lines.push({ text: '↷ step skipped (recorded)', ...(color ? { color: 'yellow' } : {}) });
    else lines.push({ text: '✓ step proven', bold: true, ...(color ? { color: 'green' } : {}) });
  } else if (record.phase === 'verify' && record.checks.length > 0) {
    const failing = [...failingRequired(record), ...pendingNotes(record).map((p) => `${p.id} (needs your edit)`)];
    lines.push({ text: `✗ not proven yet: ${failing.join(', ')}`, ...(color ? { color: 'red' } : {}) });
  } else if (record.phase === 'apply' && record.applied.some((r) => !r.ok)) {
    lines.push({ text: 'Some changes did not apply: fix what is said above, then a to apply again.', ...(color ? { color: 'yellow' } : {}) });
  }
  return wrapLines(lines, width);
}

function phaseKeys(session: Session, canUndo: boolean, hasTraces = false): string {
  const record = currentStep(session);
  const undo = (hasTraces ? ' · t traces' : '') + (canUndo ? ' · u undo' : '');
  switch (record.phase) {
    case 'apply':
      return `a apply the accepted proposals · b back to review · s skip${undo} · ? help · q quit`;
    case 'verify': {
      const done = pendingNotes(record).length > 0 ? ' · d mark your edits done' : '';
      return record.checks.length === 0
        ? `c run the checks${done} · b back (re-plan) · s skip${undo} · ? help · q quit`
        : `r retry the checks${done} · b back (re-plan) · s skip${undo} · ? help · q quit`;
    }
    case 'done': {
      const last = session.current === session.steps.length - 1;
      return `${last ? (isFinished(session) ? 'all steps finished' : '') : 'n next step'} · r check again · b reopen${undo} · ? help · q quit`.replace(/^ · /, '');
    }
    default:
      return 'i ask · ? help · q quit';
  }
}

function BusyView({
  busy,
  live,
  height,
  width,
  color,
  skill,
  required,
}: {
  busy: Busy;
  live: LiveCheck[] | undefined;
  height: number;
  width: number;
  color: boolean;
  skill: Skill;
  required: string[];
}) {
  const now = Date.now();
  if (live) {
    const done = live.filter((row) => row.result);
    const running = live.find((row) => !row.result);
    const lines = wrapLines(
      done.flatMap((row) => checkLines(row.result!, row.title, required.includes(row.itemId), color)),
      width,
    );
    // Follow the newest result: the running check stays on the last line.
    const room = Math.max(1, height - 2);
    const shown = lines.slice(Math.max(0, lines.length - room));
    return (
      <Box flexDirection="column">
        <Text bold>
          {busy.label} <Text dimColor>({formatElapsed(now - busy.startedAt)})</Text>
        </Text>
        {shown.map((line, i) => (
          <LineText key={i} line={line} />
        ))}
        {running ? <Spinner label={`${getTitle(skill, running.itemId, running.title)} …`} /> : <Spinner label="starting the checks …" />}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Spinner label={`${busy.label} … (${formatElapsed(now - busy.startedAt)})`} />
      {busy.detail ? <Text wrap="truncate-end">  {busy.detail}</Text> : null}
      {busy.command ? (
        <Text wrap="truncate-end" bold>
          {'  '}$ {busy.command.text} <Text dimColor>({formatElapsed(now - busy.command.startedAt)})</Text>
        </Text>
      ) : null}
      {busy.output ? (
        <Text dimColor wrap="truncate-end">
          {'  '}
          {busy.output}
        </Text>
      ) : null}
    </Box>
  );
}

function getTitle(skill: Skill, id: string, fallback: string): string {
  try {
    return getChecklistItem(skill, id).title;
  } catch {
    return fallback;
  }
}

export { MARK };
