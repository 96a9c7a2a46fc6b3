import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../use-keys.js';
import type { ProposalPreview } from '../actions.js';
import { changeTarget, diffLine, wrapLines } from '../text.js';
import { clampOffset, ScrollView } from './ScrollView.js';

export interface ProposalReviewProps {
  previews: readonly ProposalPreview[];
  /** Why nothing is proposed (per service, with what to do by hand), shown when there is no proposal. */
  nothingProposed?: readonly { service: string; reason: string }[];
  /** Decisions already recorded (a resumed review); otherwise every proposal without a problem starts accepted. */
  decisions: Readonly<Record<string, 'accepted' | 'rejected'>>;
  height: number;
  width: number;
  color: boolean;
  isActive: boolean;
  onApply(only: string[]): void;
  onBack(): void;
  /** The list's key hints (from the keymap, src/ui/flow/keymap.ts). */
  hints: string;
  /** True while the diff view is open (Esc belongs to it). */
  onDiffOpen?(open: boolean): void;
}

/** The proposals of a step: ↑/↓ move, space toggles accept, enter opens the diff, a applies the accepted ones. */
export function ProposalReview({
  previews,
  nothingProposed = [],
  decisions,
  height,
  width,
  color,
  isActive,
  hints,
  onApply,
  onBack,
  onDiffOpen,
}: ProposalReviewProps) {
  const [cursor, setCursor] = useState(0);
  const [accepted, setAccepted] = useState<Set<string>>(
    () =>
      new Set(
        previews
          .filter((p) => (decisions[p.proposal.id] ? decisions[p.proposal.id] === 'accepted' : !p.problem))
          .map((p) => p.proposal.id),
      ),
  );
  const [diff, setDiff] = useState<{ offset: number } | undefined>();
  const selected = previews[cursor];
  const diffLines = useMemo(
    () =>
      selected
        ? wrapLines(
            selected.text
              .replace(/\n$/, '')
              .split('\n')
              .map((l) => diffLine(l, color)),
            width,
          )
        : [],
    [selected, color, width],
  );
  const diffHeight = Math.max(3, height - 2);

  const openDiff = (open: boolean) => {
    setDiff(open ? { offset: 0 } : undefined);
    onDiffOpen?.(open);
  };

  useKeys((input, key) => {
    if (diff) {
      const page = diffHeight - 1;
      if (key.escape || input === 'q' || key.return) openDiff(false);
      else if (key.downArrow || input === 'j')
        setDiff({ offset: clampOffset(diff.offset + 1, diffLines.length, page) });
      else if (key.upArrow || input === 'k') setDiff({ offset: clampOffset(diff.offset - 1, diffLines.length, page) });
      else if (key.pageDown || input === ' ')
        setDiff({ offset: clampOffset(diff.offset + page, diffLines.length, page) });
      else if (key.pageUp) setDiff({ offset: clampOffset(diff.offset - page, diffLines.length, page) });
      return;
    }
    if (key.downArrow) setCursor((c) => Math.min(previews.length - 1, c + 1));
    else if (key.upArrow) setCursor((c) => Math.max(0, c - 1));
    else if (input === ' ' && selected) {
      setAccepted((before) => {
        const after = new Set(before);
        if (after.has(selected.proposal.id)) after.delete(selected.proposal.id);
        else after.add(selected.proposal.id);
        return after;
      });
    } else if (key.return && selected) openDiff(true);
    else if (input === 'a') onApply(previews.filter((p) => accepted.has(p.proposal.id)).map((p) => p.proposal.id));
    else if (input === 'b') onBack();
  }, isActive);

  if (diff && selected) {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          {selected.proposal.title} <Text dimColor>· esc closes</Text>
        </Text>
        {selected.problem ? (
          <Text color="yellow" wrap="truncate-end">
            ! {selected.problem}
          </Text>
        ) : null}
        <ScrollView lines={diffLines} height={diffHeight - (selected.problem ? 1 : 0)} offset={diff.offset} />
      </Box>
    );
  }

  if (previews.length === 0) {
    return (
      <Box flexDirection="column">
        <Text>
          No change is proposed for this step
          {nothingProposed.length > 0 ? ':' : ' (its recipes found nothing to change: it may be done already).'}
        </Text>
        {nothingProposed.map((n) => (
          <Text key={n.service} wrap="wrap">
            {n.service}: {n.reason}
          </Text>
        ))}
        <Text dimColor>a go on to the checks · b back to the questions</Text>
      </Box>
    );
  }

  // Each proposal takes two lines (title, then why / where); the window follows the cursor.
  const perPage = Math.max(1, Math.floor((height - 2) / 2));
  const first = Math.min(Math.max(0, cursor - perPage + 1), Math.max(0, previews.length - perPage));
  const shown = previews.slice(first, first + perPage);
  return (
    <Box flexDirection="column">
      <Text>
        {previews.length} proposal(s), {accepted.size} accepted
        {previews.length > perPage ? (
          <Text dimColor>
            {' '}
            · {first + 1}-{first + shown.length} of {previews.length}
          </Text>
        ) : null}
      </Text>
      {shown.map((preview, i) => {
        const index = first + i;
        const on = accepted.has(preview.proposal.id);
        const here = index === cursor;
        return (
          <Box key={preview.proposal.id} flexDirection="column">
            <Text wrap="truncate-end" {...(here && color ? { color: 'cyan' } : {})} bold={here}>
              {here ? '›' : ' '} [{on ? 'x' : ' '}] {preview.proposal.title}
              {preview.problem ? <Text color={color ? 'yellow' : undefined}> ! {preview.problem}</Text> : null}
            </Text>
            <Text dimColor wrap="truncate-end">
              {'      '}
              {changeTarget(preview.proposal)} — {preview.proposal.why}
            </Text>
          </Box>
        );
      })}
      <Text dimColor wrap="truncate-end">
        {hints}
      </Text>
    </Box>
  );
}
