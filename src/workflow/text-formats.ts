/**
 * Checks for structured text inputs (the skill's `format:`), so a malformed answer is refused when it is given, with
 * the same parsers the runtime run uses later: probes (user-probes.ts) and set-up commands (setup-commands.ts).
 */
import type { Input } from '../skill/schema.js';
import { parseSetupInput } from '../verify/runtime/setup-commands.js';
import { parseProbes } from '../verify/runtime/user-probes.js';

/** Throws an input error when `text` does not fit the input's format; inputs without a format accept any text. */
export function checkTextFormat(input: Input, text: string): void {
  if (text.trim() === '') return;
  switch (input.format) {
    case 'probes':
      parseProbes(text, `the ${input.id} input`);
      break;
    case 'setup-commands':
      parseSetupInput(text);
      break;
    case undefined:
      break;
  }
}
