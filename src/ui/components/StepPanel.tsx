import React from 'react';
import { Box, Text } from 'ink';
import type { Step } from '../../skill/schema.js';
import type { Phase } from '../../session/schema.js';

/** The first paragraph of a reference page that is prose (not a heading, list or code). */
export function leadParagraph(page: string): string {
  const blocks = page.split(/\n\s*\n/).map((block) => block.trim());
  const prose = blocks.find((block) => block && !/^(#|```|[-*] |\d+\. |\||>)/.test(block));
  return (prose ?? '').replace(/\s*\n\s*/g, ' ').replace(/\*\*|__|`/g, '');
}

/** The current step: its goal, what it will ask, and the opening of its reference page. */
export function StepPanel({ step, page, phase }: { step: Step; page: string; phase: Phase }) {
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" paddingX={1}>
      <Text bold>
        {step.title} <Text dimColor>({phase})</Text>
      </Text>
      <Text>{step.goal}</Text>
      {step.inputs.length > 0 ? (
        <Text dimColor>It asks: {step.inputs.map((input) => input.prompt).join(' · ')}</Text>
      ) : null}
      <Text dimColor wrap="wrap">
        {leadParagraph(page)}
      </Text>
    </Box>
  );
}
