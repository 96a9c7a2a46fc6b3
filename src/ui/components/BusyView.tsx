import React from 'react';
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { getChecklistItem } from '../../skill/lookup.js';
import type { Skill } from '../../skill/schema.js';
import type { Busy, LiveCheck } from '../flow/state.js';
import { checkLines, formatElapsed, wrapLines } from '../text.js';
import { LineText } from './ScrollView.js';

/** The work running: its label and elapsed time, with each check's result as it ends, or what the apply is doing. */
export function BusyView({
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
        {running ? (
          <Spinner label={`${getTitle(skill, running.itemId, running.title)} …`} />
        ) : (
          // Before the first check: the repo is read again; after the last: the doctor runs on a failure and the started
          // services are stopped (with their flush), which can take a while — say which.
          <Spinner
            label={
              done.length === 0
                ? 'starting the checks …'
                : 'finishing: diagnosing what failed and stopping the services …'
            }
          />
        )}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Spinner label={`${busy.label} … (${formatElapsed(now - busy.startedAt)})`} />
      {busy.detail ? <Text wrap="truncate-end"> {busy.detail}</Text> : null}
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
