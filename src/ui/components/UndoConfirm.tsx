import React from 'react';
import { Box, Text } from 'ink';

/** Asks before undoing a step's file changes; `keys` is the confirmation's line from the keymap. */
export function UndoConfirm({ stepNumber, changes, keys }: { stepNumber: number; changes: number; keys: string }) {
  return (
    <Box flexDirection="column">
      <Text bold>
        Undo the {changes} file change(s) step {stepNumber} made?
      </Text>
      <Text dimColor>The files get back the exact content they had; the step goes back to planning.</Text>
      <Text>{keys}</Text>
    </Box>
  );
}
