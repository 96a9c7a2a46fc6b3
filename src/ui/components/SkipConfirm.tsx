import React from 'react';
import { Box, Text } from 'ink';
import { TextField } from './TextField.js';

export interface SkipConfirmProps {
  stepNumber: number;
  stepTitle: string;
  /** Required checks not proven, recorded with the skip. */
  unproven: readonly string[];
  color: boolean;
  onSkip(reason: string | undefined): void;
}

/** Asks for the reason of a skip (optional): enter skips, esc (the step flow's keymap) cancels. */
export function SkipConfirm({ stepNumber, stepTitle, unproven, color, onSkip }: SkipConfirmProps) {
  return (
    <Box flexDirection="column">
      <Text bold>
        Skip step {stepNumber}, {stepTitle}?
      </Text>
      <Text wrap="wrap">
        {unproven.length > 0
          ? `Not proven, and recorded as such: ${unproven.join(', ')}.`
          : 'The skip is recorded with the session.'}
      </Text>
      <Text>Reason (optional) — enter skips, esc cancels:</Text>
      <Box>
        <Text color={color ? 'cyan' : undefined}>› </Text>
        <TextField placeholder="why this step is skipped" onSubmit={(reason) => onSkip(reason.trim() || undefined)} />
      </Box>
    </Box>
  );
}
