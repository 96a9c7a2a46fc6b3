import React from 'react';
import { Box, Text } from 'ink';

export const HELP_KEYS: readonly [string, string][] = [
  ['↑/↓', 'move, scroll'],
  ['enter', 'choose; open a diff'],
  ['space', 'accept/reject; toggle'],
  ['a', 'apply accepted proposals'],
  ['c / r', 'run the checks (again)'],
  ['n', 'next step (once proven)'],
  ['b', 'back: re-plan / previous'],
  ['s', 'skip the step (confirm)'],
  ['u', 'undo its changes (confirm)'],
  ['esc', 'close a diff or question'],
  ['?', 'this help (esc closes)'],
  ['q', 'quit: the session is saved'],
];

const cell = ([key, what]: readonly [string, string]) => `${key.padEnd(6)} ${what}`.padEnd(36);

/** The keys of the guide, in two columns when there is room. */
export function HelpOverlay({ width }: { width: number }) {
  const columns = width >= 72 ? 2 : 1;
  const rows: string[] = [];
  const half = Math.ceil(HELP_KEYS.length / columns);
  for (let i = 0; i < half; i++) {
    rows.push(
      Array.from({ length: columns }, (_, c) => HELP_KEYS[i + c * half])
        .filter((entry): entry is [string, string] => entry !== undefined)
        .map(cell)
        .join('')
        .trimEnd(),
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Box>
  );
}
