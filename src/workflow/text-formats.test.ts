import { describe, expect, it } from 'vitest';
import type { Input } from '../skill/schema.js';
import { checkTextFormat } from './text-formats.js';

const probes = { id: 'probes', prompt: 'p', kind: 'text', format: 'probes', required: false } as Input;
const setup = { id: 'setup-commands', prompt: 'p', kind: 'text', format: 'setup-commands', required: false } as Input;
const free = { id: 'business-attributes', prompt: 'p', kind: 'text', required: false } as Input;

describe('structured text inputs', () => {
  it('accepts well-formed probes and set-up commands, and any text without a format', () => {
    expect(() => checkTextFormat(probes, 'GET /forecast?api-key=demo -> 200')).not.toThrow();
    expect(() => checkTextFormat(setup, '{api: python manage.py migrate}')).not.toThrow();
    expect(() => checkTextFormat(free, '{not: [valid')).not.toThrow();
    expect(() => checkTextFormat(probes, '')).not.toThrow();
  });

  it('refuses malformed answers with a message naming the input ', () => {
    expect(() => checkTextFormat(probes, 'GET forecast')).toThrow(/^the probes input:1: /);
    expect(() => checkTextFormat(setup, 'make db | tee log')).toThrow(/shell metacharacters/);
  });
});
