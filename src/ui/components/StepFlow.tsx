import React, { useEffect } from 'react';
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { currentStep } from '../../session/machine.js';
import { requiredCheckIds, unprovenRequired } from '../../session/required-checks.js';
import type { Session } from '../../session/schema.js';
import type { Skill } from '../../skill/schema.js';
import type { GuideActions } from '../actions.js';
import { footerHints } from '../flow/keymap.js';
import { doctorLines, resultLines } from '../flow/result-lines.js';
import { useStepFlow } from '../flow/use-step-flow.js';
import { TraceView } from '../trace/TraceView.js';
import { planUsageLine, wrapLines } from '../text.js';
import { useKeys } from '../use-keys.js';
import { AskPanel } from './AskPanel.js';
import { BusyView } from './BusyView.js';
import { HelpOverlay } from './HelpOverlay.js';
import { InputsForm } from './InputsForm.js';
import { ProposalReview } from './ProposalReview.js';
import { clampOffset, ScrollView } from './ScrollView.js';
import { SkipConfirm } from './SkipConfirm.js';
import { UndoConfirm } from './UndoConfirm.js';

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

/**
 * The current step of a session, phase by phase: the questions and "Plan", the proposals to review, applying them,
 * the checks that prove the step, then the next step. Every change goes through `actions` (the core); what is on
 * screen is kept by `useStepFlow` (src/ui/flow/), and which key does what by its keymap.
 */
export function StepFlow({ session, skill, actions, height, width, color, onSession, onQuit }: StepFlowProps) {
  const flow = useStepFlow({ session, skill, actions, onSession, onQuit });
  const { state, ctx } = flow;
  const index = session.current;
  const record = currentStep(session);
  const step = skill.steps[index]!;
  const required = requiredCheckIds(skill, record.id, session.inputs);
  useKeys(flow.onKey);

  const { error, notice, overlay } = state;
  const bodyHeight = Math.max(4, height - (error ? (error.hint ? 2 : 1) : 0) - (notice ? 1 : 0));
  const canCheck = record.phase === 'verify' || record.phase === 'done';
  const lines = [...resultLines(session, skill, color, width), ...wrapLines(doctorLines(state.findings, color), width)];
  // The results view's scroll room (the ScrollView below keeps a line for its "more" marker).
  const scrollMax = Math.max(0, lines.length - (bodyHeight - 2));
  const { setScrollRoom } = flow;
  useEffect(() => setScrollRoom(scrollMax, bodyHeight - 2), [scrollMax, bodyHeight, setScrollRoom]);

  let body: React.ReactNode;
  if (state.busy) {
    body = (
      <BusyView
        busy={state.busy}
        live={state.live}
        height={bodyHeight}
        width={width}
        color={color}
        skill={skill}
        required={required}
      />
    );
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
        onClose={flow.close}
      />
    );
  } else if (state.tracesOpen && state.observed && canCheck) {
    body = (
      <TraceView
        observed={state.observed}
        height={bodyHeight}
        width={width}
        color={color}
        onClose={flow.closeTraces}
        onQuit={onQuit}
      />
    );
  } else if (overlay?.kind === 'skip') {
    const unproven = record.phase === 'done' ? [] : unprovenRequired(required, record.checks);
    body = (
      <SkipConfirm stepNumber={index + 1} stepTitle={step.title} unproven={unproven} color={color} onSkip={flow.skip} />
    );
  } else if (overlay?.kind === 'undo') {
    const changes = session.writes.filter((w) => w.step === record.id).length;
    body = <UndoConfirm stepNumber={index + 1} changes={changes} keys={footerHints('undo', ctx, width)} />;
  } else if (record.phase === 'plan') {
    body = (
      <InputsForm
        key={`${index}-${session.updatedAt}`}
        skill={skill}
        stepId={step.id}
        session={session}
        width={width}
        isActive={!overlay}
        onPlan={flow.plan}
        onTyping={flow.setTyping}
      />
    );
  } else if (record.phase === 'review') {
    body = flow.previews ? (
      <Review
        flow={flow}
        index={index}
        height={bodyHeight}
        width={width}
        color={color}
        decisions={record.decisions}
        proposalIds={record.proposals.map((p) => p.id)}
      />
    ) : (
      <Spinner label="Reading the proposed changes …" />
    );
  } else {
    body = (
      <Box flexDirection="column">
        <ScrollView
          lines={lines}
          height={bodyHeight - 1}
          offset={clampOffset(state.offset, lines.length, bodyHeight - 2)}
        />
        <Text color={color ? 'cyan' : undefined} wrap="truncate-end">
          {footerHints(record.phase, ctx, width)}
        </Text>
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      {body}
      {notice ? (
        <Text color={color ? 'yellow' : undefined} wrap="truncate-end">
          {notice}
        </Text>
      ) : null}
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

/** The review of the step's proposals, with what the planner spent and the services no recipe covers above it. */
function Review({
  flow,
  index,
  height,
  width,
  color,
  decisions,
  proposalIds,
}: {
  flow: ReturnType<typeof useStepFlow>;
  index: number;
  height: number;
  width: number;
  color: boolean;
  decisions: Readonly<Record<string, 'accepted' | 'rejected'>>;
  proposalIds: string[];
}) {
  const planned = flow.state.planned?.session.current === index ? flow.state.planned : undefined;
  const uncovered = planned?.uncovered ?? [];
  const usage = planned?.usage;
  return (
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
        key={proposalIds.join(',')}
        previews={flow.previews ?? []}
        nothingProposed={planned?.nothingProposed ?? []}
        decisions={decisions}
        height={height - (uncovered.length > 0 ? 1 : 0) - (usage ? 1 : 0)}
        width={width}
        color={color}
        isActive={!flow.state.overlay}
        hints={footerHints('review', flow.ctx, width)}
        onApply={flow.apply}
        onBack={() => flow.back('Going back to the questions')}
        onDiffOpen={flow.setDiffOpen}
      />
    </Box>
  );
}
