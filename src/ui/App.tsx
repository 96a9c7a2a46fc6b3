import React, { useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { Select, Spinner } from '@inkjs/ui';
import type { ScanResult } from '../repo/scan-schema.js';
import type { Skill } from '../skill/schema.js';
import type { Session } from '../session/schema.js';
import type { ExistingSession } from '../session/workspace.js';
import type { Drift } from '../session/drift.js';
import { summarizeSession } from '../session/summary.js';
import { ScanSummary } from './components/ScanSummary.js';
import { StepRail } from './components/StepRail.js';
import { DriftList } from './components/DriftList.js';
import { StepPanel } from './components/StepPanel.js';

/** What the guide can ask the core to do. The UI itself reads no files and runs no processes. */
export interface GuideActions {
  start(): Promise<{ session: Session; backup: string | undefined }>;
}

export interface AppProps {
  repoRoot: string;
  skill: Skill;
  scan: ScanResult;
  existing: ExistingSession;
  /** `resume` skips the offer and opens the saved session. */
  mode: 'ask' | 'resume';
  actions: GuideActions;
}

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
    return mode === 'resume' ? { kind: 'session', session: existing.session, drift: existing.drift } : { kind: 'offer' };
  }
  return { kind: 'landing' };
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<Screen>(() => initialScreen(props));

  useInput((input) => {
    if (input === 'q' && screen.kind !== 'starting') exit();
  });

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
    <Box flexDirection="column">
      <Box>
        <Text bold color="cyan">
          trace-guide
        </Text>
        <Text dimColor> · {props.repoRoot}</Text>
      </Box>
      <Body screen={screen} props={props} onStart={start} onResume={(session, drift) => setScreen({ kind: 'session', session, drift })} onQuit={exit} />
      <Text dimColor>q quit · the session is saved after every change</Text>
    </Box>
  );
}

interface BodyProps {
  screen: Screen;
  props: AppProps;
  onStart(): void;
  onResume(session: Session, drift: Drift[]): void;
  onQuit(): void;
}

function Body({ screen, props, onStart, onResume, onQuit }: BodyProps) {
  const { existing, skill, scan } = props;
  switch (screen.kind) {
    case 'offer': {
      if (existing.kind !== 'found') return null;
      const summary = summarizeSession(existing.session, skill, existing.drift);
      return (
        <Box flexDirection="column" marginY={1}>
          <Text>
            A session from {summary.updatedAt} is here:{' '}
            {summary.finished ? 'all steps finished.' : `stopped at step ${summary.current.number}, ${summary.current.title} (${summary.current.phase}).`}
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
          <Text color="red">{existing.error.message}</Text>
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
      return (
        <Box flexDirection="column" marginY={1}>
          {screen.note ? <Text color="yellow">{screen.note}</Text> : null}
          <Text dimColor>
            {screen.session.scan.services.length} service(s): {screen.session.scan.services.map((service) => service.name).join(', ') || 'none found'}
          </Text>
          <StepRail steps={summary.steps} />
          <DriftList drift={summary.drift} />
          <StepPanel step={step} page={skill.pages[step.id]} phase={summary.current.phase} />
        </Box>
      );
    }
    case 'error':
      return <Text color="red">{screen.message}</Text>;
  }
}
