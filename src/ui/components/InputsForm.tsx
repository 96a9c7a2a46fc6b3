import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { MultiSelect, Select } from '@inkjs/ui';
import type { InputValue, Session } from '../../session/schema.js';
import { answerOf, inputsFor } from '../../skill/lookup.js';
import type { Input, Skill, StepId } from '../../skill/schema.js';
import { checkTextFormat } from '../../workflow/text-formats.js';
import { wrapLine } from '../text.js';
import { TextField } from './TextField.js';

export interface InputsFormProps {
  skill: Skill;
  stepId: StepId;
  session: Session;
  width: number;
  /** False while an overlay has the keys. */
  isActive: boolean;
  onPlan(inputs: Record<string, InputValue>): void;
  /** True while a text field has the keys (single-letter shortcuts must then not fire). */
  onTyping(typing: boolean): void;
}

/** Checks a typed answer; returns the value or a message saying what is expected. */
export function parseTyped(
  input: Input,
  raw: string,
): { ok: true; value: InputValue } | { ok: false; message: string } {
  const text = raw.trim();
  // Messages name the question as the screen asks it, not the answer's id.
  const question = `"${input.prompt}"`;
  if (input.kind === 'number') {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n))
      return { ok: false, message: `${question}: the answer must be a number${text === '' ? '' : `, not "${text}"`}` };
    if ((input.min !== undefined && n < input.min) || (input.max !== undefined && n > input.max)) {
      return {
        ok: false,
        message: `${question}: the answer must be between ${input.min ?? '-∞'} and ${input.max ?? '∞'}, not ${n}`,
      };
    }
    return { ok: true, value: n };
  }
  if (text === '' && input.required) return { ok: false, message: `${question} needs an answer` };
  // Structured text (probes, set-up commands): the same check as `--set`, so a typo is shown here, not at check time.
  try {
    checkTextFormat(input, text);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return { ok: true, value: text };
}

function show(value: InputValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.length > 0 ? value.join(',') : '(none)';
  return String(value) === '' ? '(empty)' : String(value);
}

/**
 * The step's questions, one at a time, with the saved answer (or the skill's default) preselected; then "Plan".
 * Which questions are asked follows the answers given so far (a question's `when`).
 */
export function InputsForm({ skill, stepId, session, width, isActive, onPlan, onTyping }: InputsFormProps) {
  const [draft, setDraft] = useState<Record<string, InputValue>>({});
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const answers = useMemo(() => ({ ...session.inputs, ...draft }), [session.inputs, draft]);
  const asked = inputsFor(skill, stepId, answers);
  const input = asked.find((candidate) => !(candidate.id in draft));
  const typing = isActive && input !== undefined && (input.kind === 'text' || input.kind === 'number');
  useEffect(() => onTyping(typing), [typing, onTyping]);
  useEffect(() => () => onTyping(false), [onTyping]);

  const answer = (value: InputValue) => {
    setError(undefined);
    setDraft((before) => ({ ...before, [input!.id]: value }));
  };
  const given = asked.filter((candidate) => candidate.id in draft);
  const summary = given.map((candidate) => `${candidate.id} = ${show(draft[candidate.id])}`).join(' · ');

  if (!input) {
    return (
      <Box flexDirection="column">
        {asked.length === 0 ? (
          <Text dimColor>This step asks nothing.</Text>
        ) : (
          <Text wrap="wrap">Answers: {summary}</Text>
        )}
        <Select
          isDisabled={!isActive}
          options={[
            { label: 'Plan this step', value: 'plan' },
            ...(asked.length > 0 ? [{ label: 'Change the answers', value: 'change' }] : []),
          ]}
          onChange={(value) => {
            if (value === 'plan') {
              const chosen = Object.fromEntries(asked.map((q) => [q.id, draft[q.id]!]));
              // A fresh menu: @inkjs/ui's Select calls onChange again on every render while its value stays chosen, so a
              // plan that fails at once (the form stays on screen) would be asked for again and again; a fresh one
              // also lets enter retry.
              setAttempt((n) => n + 1);
              onPlan(chosen);
            } else {
              setDraft({});
              setAttempt((n) => n + 1);
            }
          }}
          key={`plan-${attempt}`}
        />
      </Box>
    );
  }

  const current = answerOf(skill, input.id, session.inputs) as InputValue | undefined;
  const mark = input.id in session.inputs ? '(current)' : '(default)';
  const help = input.help ? wrapLine(input.help, width).slice(0, 2) : [];
  const key = `${input.id}-${attempt}`;
  let field: React.ReactNode;
  switch (input.kind) {
    case 'choice': {
      const choices = input.choices ?? [];
      // The saved answer (or default) comes first, so Enter keeps it: @inkjs/ui's Select focuses the first option.
      const first = choices.filter((c) => c.value === current);
      const ordered = [...first, ...choices.filter((c) => c.value !== current)];
      field = (
        <Select
          key={key}
          isDisabled={!isActive}
          visibleOptionCount={Math.min(6, ordered.length)}
          options={ordered.map((c) => ({
            label: c.value === current ? `${c.label} ${mark}` : c.label,
            value: c.value,
          }))}
          onChange={(value) => answer(value)}
        />
      );
      break;
    }
    case 'multi-choice':
    case 'services': {
      const options =
        input.kind === 'services'
          ? session.scan.services.map((s) => ({ label: `${s.name} (${s.root} · ${s.language})`, value: s.id }))
          : (input.choices ?? []).map((c) => ({ label: c.label, value: c.value }));
      const preselected = Array.isArray(current)
        ? current
        : input.kind === 'services'
          ? options.map((o) => o.value)
          : [];
      field = (
        <Box flexDirection="column">
          {options.length === 0 ? <Text dimColor>(nothing to choose: Enter goes on)</Text> : null}
          <MultiSelect
            key={key}
            isDisabled={!isActive}
            visibleOptionCount={Math.min(5, Math.max(1, options.length))}
            options={options}
            defaultValue={preselected.filter((v) => options.some((o) => o.value === v))}
            onSubmit={(values) => answer(values)}
          />
          <Text dimColor>space toggles · enter confirms</Text>
        </Box>
      );
      break;
    }
    case 'text':
    case 'number':
      field = (
        <Box>
          <Text color="cyan">› </Text>
          <TextField
            key={key}
            isDisabled={!isActive}
            defaultValue={
              current === undefined
                ? ''
                : show(current) === '(empty)'
                  ? ''
                  : Array.isArray(current)
                    ? current.join(',')
                    : String(current)
            }
            onSubmit={(raw) => {
              const parsed = parseTyped(input, raw);
              if (parsed.ok) answer(parsed.value);
              else {
                setError(parsed.message);
                setAttempt((n) => n + 1);
              }
            }}
          />
        </Box>
      );
      break;
  }
  return (
    <Box flexDirection="column">
      {summary ? (
        <Text dimColor wrap="truncate-end">
          {summary}
        </Text>
      ) : null}
      <Text bold wrap="wrap">
        {input.prompt}
      </Text>
      {help.map((line, i) => (
        <Text key={i} dimColor>
          {line}
          {i === help.length - 1 && input.help && wrapLine(input.help, width).length > 2 ? ' …' : ''}
        </Text>
      ))}
      {field}
      {error ? (
        <Text color="red" wrap="wrap">
          {error}
        </Text>
      ) : null}
    </Box>
  );
}
