import React, { useEffect, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { sanitizeTerminalText } from '../core/sanitize-terminal.js';
import { Select, Spinner } from '@inkjs/ui';
import type { ScanResult } from '../types/scan.js';
import type { Skill } from '../skill/schema.js';
import type { Session } from '../session/schema.js';
import type { ExistingSession } from '../session/workspace.js';
import type { Drift } from '../session/drift.js';
import { summarizeSession } from '../session/summary.js';
import { ScanSummary } from './components/ScanSummary.js';
import { StepRail } from './components/StepRail.js';
import { DriftList } from './components/DriftList.js';
import { StepFlow } from './components/StepFlow.js';
import type { GuideActions } from './actions.js';
import { plannerLabel } from './text.js';
import { KeyRouter } from './use-keys.js';
import { useTerminalSize } from './use-terminal-size.js';
import { answerOf } from '../skill/lookup.js';

export type { GuideActions } from './actions.js';

/** Below this many rows the step rail is one line (`✓✓▸···`) instead of six. */
export const COMPACT_RAIL_BELOW_ROWS = 30;

export interface AppProps {
  repoRoot: string;
  skill: Skill;
  scan: ScanResult;
  existing: ExistingSession;
  /** `resume` skips the offer and opens the saved session. */
  mode: 'ask' | 'resume';
  actions: GuideActions;
  /** False under NO_COLOR: the guide's own colours are left out (marks and +/- prefixes still tell things apart). */
  color?: boolean;
  /** Told on Ctrl-C, before the guide closes: the caller stops what is still running and exits 130. */
  onInterrupt?: () => void;
}

/** How the guide was closed: `q` (or Quit) or Ctrl-C. */
export type GuideOutcome = 'quit' | 'interrupted';

type Screen =
  | { kind: 'offer' }
  | { kind: 'unusable' }
  | { kind: 'landing' }
  | { kind: 'starting' }
  | { kind: 'session'; session: Session; drift: Drift[]; note?: string }
  | { kind: 'error'; message: string };

function initialScreen(props: AppProps): Screen {
  const { existing, mode } = props;
  if (existing.kind === 'unusable') return { kind: 'unusable' };
  if (existing.kind === 'found') {
    return mode === 'resume'
      ? { kind: 'session', session: existing.session, drift: existing.drift }
      : { kind: 'offer' };
  }
  return { kind: 'landing' };
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<Screen>(() => initialScreen(props));
  const { columns, rows, rowsKnown } = useTerminalSize();
  const planner = plannerLabel(props.actions.planner);
  const [cancelling, setCancelling] = useState(false);

  useInput((input, key) => {
    // Ctrl-C on every screen, even in a text field or while work runs: the guide says so, then closes.
    if (key.ctrl && input === 'c') {
      props.onInterrupt?.();
      setCancelling(true);
      return;
    }
    // On the session screen the step flow owns the keys (a text field must be able to take a "q").
    if (input === 'q' && screen.kind !== 'starting' && screen.kind !== 'session') exit();
  });
  // Exit after the frame that says "cancelling" is drawn.
  useEffect(() => {
    if (cancelling) exit();
  }, [cancelling]);

  const start = () => {
    setScreen({ kind: 'starting' });
    props.actions.start().then(
      ({ session, backup }) =>
        setScreen({
          kind: 'session',
          session,
          drift: [],
          ...(backup ? { note: `The previous session file was kept as ${backup}.` } : {}),
        }),
      (error: unknown) => setScreen({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  };

  return (
    <KeyRouter>
      {/* Never taller than the terminal: a frame as tall as the screen makes Ink clear it (and the scrollback) on every
          repaint. The screens size their panes to fit; this bound clips (at the bottom) whatever still would not. */}
      <Box
        flexDirection="column"
        {...(rowsKnown ? { height: Math.max(1, rows - 1), overflowY: 'hidden' as const } : {})}
      >
        <Box flexShrink={0}>
          <Text bold color="cyan">
            trace-guide
          </Text>
          <Text dimColor> · {headerRoot(props.repoRoot, planner, columns)}</Text>
          <Text dimColor> · planner: {planner}</Text>
        </Box>
        <Box flexDirection="column" flexShrink={0}>
          <Body
            screen={screen}
            props={props}
            onStart={start}
            onResume={(session, drift) => setScreen({ kind: 'session', session, drift })}
            onSession={(session) =>
              setScreen((before) => (before.kind === 'session' ? { ...before, session } : before))
            }
            onQuit={exit}
          />
        </Box>
        {screen.kind === 'session' ? null : <Text dimColor>q quit · the session is saved after every change</Text>}
        {cancelling ? (
          <Text {...(props.color === false ? {} : { color: 'yellow' })}>cancelling… stopping what was started</Text>
        ) : null}
      </Box>
    </KeyRouter>
  );
}

/** The repo root, shortened from the left so that the header (with the planner) stays on one line. */
export function headerRoot(root: string, planner: string, columns: number): string {
  const room = columns - 'trace-guide · '.length - ' · planner: '.length - planner.length - 1;
  if (root.length <= room) return root;
  return room <= 1 ? '…' : `…${root.slice(root.length - room + 1)}`;
}

interface BodyProps {
  screen: Screen;
  props: AppProps;
  onStart(): void;
  onResume(session: Session, drift: Drift[]): void;
  onSession(session: Session): void;
  onQuit(): void;
}

function Body({ screen, props, onStart, onResume, onSession, onQuit }: BodyProps) {
  const { existing, skill, scan } = props;
  const { rows, columns, rowsKnown } = useTerminalSize();
  switch (screen.kind) {
    case 'offer': {
      if (existing.kind !== 'found') return null;
      const summary = summarizeSession(existing.session, skill, existing.drift);
      return (
        <Box flexDirection="column" marginY={1}>
          <Text>
            A session from {summary.updatedAt} is here:{' '}
            {summary.finished
              ? 'all steps finished.'
              : `stopped at step ${summary.current.number}, ${summary.current.title} (${summary.current.phase}).`}
          </Text>
          <StepRail steps={summary.steps} />
          <DriftList drift={summary.drift} />
          <Select
            options={[
              { label: 'Resume where it stopped', value: 'resume' },
              { label: 'Start fresh (the old session is kept as a backup)', value: 'fresh' },
              { label: 'Quit', value: 'quit' },
            ]}
            onChange={(value) => {
              if (value === 'resume') onResume(existing.session, existing.drift);
              else if (value === 'fresh') onStart();
              else onQuit();
            }}
          />
        </Box>
      );
    }
    case 'unusable':
      if (existing.kind !== 'unusable') return null;
      return (
        <Box flexDirection="column" marginY={1}>
          <Text color="red">{sanitizeTerminalText(existing.error.message, { multiline: true })}</Text>
          <Select
            options={[
              { label: 'Start fresh (the unreadable file is kept as a backup)', value: 'fresh' },
              { label: 'Quit (nothing is changed)', value: 'quit' },
            ]}
            onChange={(value) => (value === 'fresh' ? onStart() : onQuit())}
          />
        </Box>
      );
    case 'landing':
      return (
        <Box flexDirection="column" marginY={1}>
          <ScanSummary scan={scan} />
          <Box marginTop={1} flexDirection="column">
            <Text bold>{skill.title}</Text>
            {skill.steps.map((step, index) => (
              <Text key={step.id}>
                {'  '}
                {index + 1}. {step.title}
              </Text>
            ))}
          </Box>
          <Box marginTop={1}>
            <Select
              options={[
                { label: 'Start the guide', value: 'start' },
                { label: 'Quit', value: 'quit' },
              ]}
              onChange={(value) => (value === 'start' ? onStart() : onQuit())}
            />
          </Box>
        </Box>
      );
    case 'starting':
      return <Spinner label="Saving the new session" />;
    case 'session': {
      const summary = summarizeSession(screen.session, skill, screen.drift);
      const step = skill.steps[screen.session.current]!;
      const driftLines =
        summary.drift.length === 0 ? 0 : Math.min(6, summary.drift.length) + 1 + (summary.drift.length > 6 ? 1 : 0);
      // A short terminal gets the rail on one line, so the work keeps its room.
      const compact = rowsKnown && rows < COMPACT_RAIL_BELOW_ROWS;
      const railLines = compact ? 1 : summary.steps.length;
      // Header 1, rail, panel border 2, title 1, goal 1, and the line Ink leaves under the frame: the body gets the rest.
      const height = Math.max(3, rows - 6 - railLines - driftLines - (screen.note ? 1 : 0));
      return (
        <Box flexDirection="column">
          {screen.note ? (
            <Text color="yellow" wrap="truncate-end">
              {screen.note}
            </Text>
          ) : null}
          <StepRail steps={summary.steps} compact={compact} color={props.color ?? true} />
          <DriftList drift={summary.drift} />
          <Box flexDirection="column" borderStyle="round" paddingX={1}>
            <Text bold wrap="truncate-end">
              {screen.session.current + 1}. {step.title} <Text dimColor>({summary.current.phase})</Text>
              <Text dimColor>
                {' · '}
                {screen.session.scan.services.length} service(s) · backend{' '}
                {String(answerOf(skill, 'backend', screen.session.inputs) ?? '?')}
              </Text>
            </Text>
            <Text dimColor wrap="truncate-end">
              {step.goal}
            </Text>
            <StepFlow
              session={screen.session}
              skill={skill}
              actions={props.actions}
              height={height}
              width={Math.max(20, columns - 4)}
              color={props.color ?? true}
              onSession={onSession}
              onQuit={onQuit}
            />
          </Box>
        </Box>
      );
    }
    case 'error':
      return <Text color="red">{sanitizeTerminalText(screen.message, { multiline: true })}</Text>;
  }
}
