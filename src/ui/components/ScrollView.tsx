import React from 'react';
import { Box, Text } from 'ink';
import { sanitizeTerminalText } from '../../core/sanitize-terminal.js';
import type { Line } from '../text.js';

/** Clamps a scroll offset so that the window stays inside the lines. */
export function clampOffset(offset: number, total: number, height: number): number {
  return Math.max(0, Math.min(offset, Math.max(0, total - height)));
}

/**
 * A window of `height` lines from already wrapped lines, starting at `offset`; says how many lines are above and below.
 * The indicator lines count in the height, so the view never grows past it.
 */
export function ScrollView({ lines, height, offset }: { lines: readonly Line[]; height: number; offset: number }) {
  const room = Math.max(1, height);
  if (lines.length <= room) {
    return (
      <Box flexDirection="column">
        {lines.map((line, i) => (
          <LineText key={i} line={line} />
        ))}
      </Box>
    );
  }
  const start = clampOffset(offset, lines.length, room - 1);
  const body = Math.max(1, room - 1);
  const shown = lines.slice(start, start + body);
  const below = lines.length - start - shown.length;
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <LineText key={start + i} line={line} />
      ))}
      <Text dimColor>
        {start > 0 ? `↑ ${start} more` : ''}
        {start > 0 && below > 0 ? ' · ' : ''}
        {below > 0 ? `↓ ${below} more` : ''} (↑/↓ scroll)
      </Text>
    </Box>
  );
}

/** One line; whatever outside text it quotes reaches the terminal with its control characters escaped. */
export function LineText({ line }: { line: Line }) {
  return (
    <Text
      wrap="truncate-end"
      {...(line.color ? { color: line.color } : {})}
      dimColor={line.dim ?? false}
      bold={line.bold ?? false}
    >
      {line.text === '' ? ' ' : sanitizeTerminalText(line.text, { multiline: true })}
    </Text>
  );
}
