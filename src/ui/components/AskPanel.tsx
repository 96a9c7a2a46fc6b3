import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { TextField } from './TextField.js';
import type { AnswerView, PlannerInfo } from '../actions.js';
import { answerUsageLine, wrapLine, wrapLines, type Line } from '../text.js';
import { clampOffset, ScrollView } from './ScrollView.js';
import { useKeys } from '../use-keys.js';

export interface AskPanelProps {
  /** 1-based, for the title. */
  stepNumber: number;
  stepTitle: string;
  planner: PlannerInfo;
  ask(question: string, onText: (text: string) => void): Promise<AnswerView>;
  /** Lines the panel may use. */
  height: number;
  width: number;
  color: boolean;
  onClose(): void;
}

type Phase = 'question' | 'answering' | 'answered' | 'failed';

/**
 * "Ask" at a step: a question line, then the answer in a scrollable view. With a key the text streams in as it arrives
 * (the view follows the end until the user scrolls up) and the usage closes it; offline the best passages of the
 * reference pages come with the hint that a key gives fuller answers. esc closes; enter asks another question.
 */
export function AskPanel({ stepNumber, stepTitle, planner, ask, height, width, color, onClose }: AskPanelProps) {
  const [phase, setPhase] = useState<Phase>('question');
  const [question, setQuestion] = useState('');
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<AnswerView | undefined>();
  const [failure, setFailure] = useState<{ message: string; hint?: string } | undefined>();
  const [offset, setOffset] = useState(0);
  const [follow, setFollow] = useState(true);
  // Chunks or answers of a question the user has left (esc, or a new question) are dropped.
  const request = useRef(0);
  useEffect(
    () => () => {
      request.current++;
    },
    [],
  );

  const send = (raw: string) => {
    const q = raw.trim();
    if (!q) return;
    const id = ++request.current;
    setQuestion(q);
    setText('');
    setAnswer(undefined);
    setFailure(undefined);
    setOffset(0);
    setFollow(true);
    setPhase('answering');
    ask(q, (chunk) => {
      if (request.current === id) setText((before) => before + chunk);
    }).then(
      (view) => {
        if (request.current !== id) return;
        setAnswer(view);
        setText(view.text);
        setPhase('answered');
      },
      (error: unknown) => {
        if (request.current !== id) return;
        const hint = (error as { hint?: unknown } | undefined)?.hint;
        setFailure({
          message: error instanceof Error ? error.message : String(error),
          ...(typeof hint === 'string' ? { hint } : {}),
        });
        setPhase('failed');
      },
    );
  };

  const lines: Line[] = wrapLines(
    text.split('\n').map((line) => (line.startsWith('── ') ? { text: line, bold: true } : { text: line })),
    width,
  );
  const statusLines: Line[] = [];
  if (phase === 'answered' && answer?.mode === 'offline') {
    for (const piece of wrapLine(answer.hint, width))
      statusLines.push({ text: piece, ...(color ? { color: 'yellow' } : {}) });
  } else if (phase === 'answered' && answer?.mode === 'model') {
    statusLines.push({ text: answerUsageLine(answer.model, answer.usage), dim: true });
  } else if (phase === 'failed' && failure) {
    statusLines.push({ text: `✗ ${failure.message}`, ...(color ? { color: 'red' } : {}) });
    if (failure.hint) statusLines.push({ text: `  hint: ${failure.hint}`, dim: true });
  }
  const statusHeight = phase === 'answering' ? 1 : statusLines.length;
  // The question line, the status lines and the key line; the answer gets the rest.
  const room = Math.max(2, height - 2 - statusHeight);
  const maxOffset = Math.max(0, lines.length - (room - 1));
  const shownOffset = follow && phase === 'answering' ? maxOffset : clampOffset(offset, lines.length, room - 1);

  useKeys((input, key) => {
    if (key.escape) return onClose();
    if (phase === 'question') return;
    if (key.upArrow || input === 'k') {
      setFollow(false);
      setOffset(Math.max(0, shownOffset - 1));
    } else if (key.downArrow || input === 'j') {
      setOffset(Math.min(maxOffset, shownOffset + 1));
    } else if (key.pageUp) {
      setFollow(false);
      setOffset(Math.max(0, shownOffset - (room - 1)));
    } else if (key.pageDown || input === ' ') {
      setOffset(Math.min(maxOffset, shownOffset + (room - 1)));
    } else if (phase !== 'answering' && (key.return || input === 'i')) {
      setPhase('question');
    } else if (phase !== 'answering' && input === 'q') onClose();
  });

  const source =
    planner.kind === 'model'
      ? `${planner.model} answers from the step's reference page and your repo's scan.`
      : "Offline: the best passages of the skill's reference pages.";

  if (phase === 'question') {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          Ask about step {stepNumber}, {stepTitle}
        </Text>
        <Box>
          <Text color={color ? 'cyan' : undefined}>› </Text>
          <TextField placeholder="your question" defaultValue={question} onSubmit={send} />
        </Box>
        <Text dimColor wrap="truncate-end">
          {source}
        </Text>
        <Text color={color ? 'cyan' : undefined} wrap="truncate-end">
          enter ask · esc close
        </Text>
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        › {question}
      </Text>
      <ScrollView lines={lines} height={room} offset={shownOffset} />
      {phase === 'answering' ? (
        <Spinner
          label={planner.kind === 'model' ? `${planner.model} is answering …` : 'Searching the reference pages …'}
        />
      ) : (
        statusLines.map((line, i) => (
          <Text key={i} wrap="truncate-end" {...(line.color ? { color: line.color } : {})} dimColor={line.dim ?? false}>
            {line.text}
          </Text>
        ))
      )}
      <Text color={color ? 'cyan' : undefined} wrap="truncate-end">
        {phase === 'answering' ? 'esc close · ↑/↓ scroll' : 'enter ask another · ↑/↓ scroll · esc close'}
      </Text>
    </Box>
  );
}
