import React from 'react';
import { Box, Text } from 'ink';
import type { StepSummary } from '../../session/summary.js';

const LOOK: Record<StepSummary['status'], { mark: string; color: string | undefined }> = {
  pending: { mark: '·', color: undefined },
  current: { mark: '▸', color: 'cyan' },
  done: { mark: '✓', color: 'green' },
  skipped: { mark: '↷', color: 'yellow' },
  failed: { mark: '✗', color: 'red' },
};

/** The six steps with their state; a skipped step stays marked as skipped. */
export function StepRail({ steps }: { steps: StepSummary[] }) {
  return (
    <Box flexDirection="column">
      {steps.map((step) => {
        const look = LOOK[step.status];
        return (
          <Text key={step.id} color={look.color} bold={step.status === 'current'}>
            {look.mark} {step.number}. {step.title}
            <Text dimColor>
              {'  '}
              {step.status}
              {step.status === 'current' || step.status === 'failed' ? ` · ${step.phase}` : ''}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}
