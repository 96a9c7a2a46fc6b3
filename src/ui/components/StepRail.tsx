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

/**
 * The six steps with their state; a skipped step stays marked as skipped. `compact` (a short terminal): one line of
 * marks and the current step's name, `✓✓▸··· 3/6 Add spans for business operations`.
 */
export function StepRail({
  steps,
  compact = false,
  color = true,
}: {
  steps: StepSummary[];
  compact?: boolean;
  color?: boolean;
}) {
  const paint = (status: StepSummary['status']) => (color && LOOK[status].color ? { color: LOOK[status].color } : {});
  if (compact) {
    const current = steps.find((step) => step.status === 'current') ?? steps.find((step) => step.status === 'failed');
    return (
      <Text wrap="truncate-end">
        {steps.map((step) => (
          <Text key={step.id} {...paint(step.status)} bold={step.status === 'current'}>
            {LOOK[step.status].mark}
          </Text>
        ))}
        {current ? (
          <Text dimColor>
            {' '}
            {current.number}/{steps.length} {current.title} · {current.phase}
          </Text>
        ) : null}
      </Text>
    );
  }
  return (
    <Box flexDirection="column">
      {steps.map((step) => {
        const look = LOOK[step.status];
        return (
          <Text key={step.id} {...paint(step.status)} bold={step.status === 'current'} wrap="truncate-end">
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
