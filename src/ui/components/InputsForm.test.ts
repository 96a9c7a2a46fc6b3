import { describe, expect, it } from 'vitest';
import type { Input } from '../../skill/schema.js';
import { parseTyped } from './InputsForm.js';

const probes = { id: 'probes', prompt: 'p', kind: 'text', format: 'probes', required: false } as Input;

describe('typed answers in the guide', () => {
  it('a malformed structured answer is refused with the message (shown instead of saved)', () => {
    expect(parseTyped(probes, 'FETCH /x')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^the probes input:1: /),
    });
    expect(parseTyped(probes, 'GET /x -> 200')).toEqual({ ok: true, value: 'GET /x -> 200' });
  });
});
