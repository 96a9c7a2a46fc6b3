import React from 'react';
import { Box, Text } from 'ink';
import { helpRows } from '../flow/keymap.js';

/** The guide's keys, from the keymap that also drives the handler and the footer (src/ui/flow/keymap.ts). */
export const HELP_KEYS: readonly [string, string][] = helpRows();

/** The keys of the trace view (`t`), per screen; the same words as its own key lines (src/ui/trace/TraceView.tsx). */
export const TRACE_HELP_KEYS: readonly [string, readonly [string, string][]][] = [
  [
    'list',
    [
      ['↑/↓', 'select'],
      ['enter', 'waterfall'],
      ['d', 'sort'],
      ['/', 'filter'],
      ['esc', 'back'],
    ],
  ],
  [
    'waterfall',
    [
      ['↑/↓', 'span'],
      ['PgUp/PgDn', 'page'],
      ['e', 'next error'],
      ['/', 'search'],
      ['n', 'next match'],
      ['enter', 'details'],
      ['esc', 'list'],
    ],
  ],
];

const cell = ([key, what]: readonly [string, string]) => `${key.padEnd(6)} ${what}`.padEnd(36);

/** The keys of the guide, in two columns when there is room, then those of the trace view, one line per screen. */
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
  const label = Math.max(...TRACE_HELP_KEYS.map(([name]) => name.length)) + 1;
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row}
        </Text>
      ))}
      <Text bold>Trace view (t, once the checks saw traces)</Text>
      {TRACE_HELP_KEYS.map(([name, keys]) => (
        <Box key={name}>
          <Box width={label} flexShrink={0}>
            <Text>{name}</Text>
          </Box>
          <Text wrap="wrap">{keys.map(([key, what]) => `${key} ${what}`).join(' · ')}</Text>
        </Box>
      ))}
    </Box>
  );
}
