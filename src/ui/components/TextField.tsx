import React, { useRef, useState } from 'react';
import { Text } from 'ink';
import { sanitizeTerminalText } from '../../core/sanitize-terminal.js';
import { editText, initialField } from '../flow/text-edit.js';
import { useKeys } from '../use-keys.js';

export interface TextFieldProps {
  /** The prefilled value: shown selected, replaced by the first character typed. */
  defaultValue?: string;
  placeholder?: string;
  isDisabled?: boolean;
  /** Told of every change (a filter that follows the typing). */
  onChange?: (value: string) => void;
  onSubmit(value: string): void;
}

/**
 * A one-line text field with readline editing (src/ui/flow/text-edit.ts) that takes keys through the guide's one
 * subscription, so a fast burst — text, Backspaces and Enter together — is applied in order and a key pressed as the
 * field appears is not lost.
 */
export function TextField({ defaultValue = '', placeholder, isDisabled = false, onChange, onSubmit }: TextFieldProps) {
  const [field, setField] = useState(() => initialField(defaultValue));
  // The field as of the last event: two events before the next render must each see the other's edit.
  const latest = useRef(field);
  useKeys((input, key) => {
    const before = latest.current;
    const result = editText(before, input, key);
    if (result.state !== before) {
      latest.current = result.state;
      setField(result.state);
      if (result.state.value !== before.value) onChange?.(result.state.value);
    }
    if (result.submitted !== undefined) onSubmit(result.submitted);
  }, !isDisabled);
  const shown = sanitizeTerminalText(field.value);
  if (shown === '' && placeholder) {
    return (
      <Text>
        <Text inverse> </Text>
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  return (
    <Text>
      {field.prefilled ? <Text inverse>{shown}</Text> : shown}
      {isDisabled ? null : <Text inverse> </Text>}
      {field.prefilled ? <Text dimColor> (typing replaces it)</Text> : null}
    </Text>
  );
}
