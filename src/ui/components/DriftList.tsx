import React from 'react';
import { Box, Text } from 'ink';
import type { Drift } from '../../session/drift.js';

/** Files trace-guide wrote that changed since: reported, never overwritten. */
export function DriftList({ drift }: { drift: Drift[] }) {
  if (drift.length === 0) return null;
  return (
    <Box flexDirection="column">
      <Text color="yellow">Changed since trace-guide wrote them (they will not be overwritten):</Text>
      {drift.slice(0, 6).map((item) => (
        <Text key={item.path}>
          {'  '}
          {item.kind} {item.path} <Text dimColor>(step {item.step})</Text>
        </Text>
      ))}
      {drift.length > 6 ? <Text dimColor> … and {drift.length - 6} more (trace-guide status)</Text> : null}
    </Box>
  );
}
