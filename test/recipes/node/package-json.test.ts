import { describe, expect, it } from 'vitest';
import { applyTextEdits } from '../../../src/edit/text-edit.js';
import { addDependenciesEdit, addScriptEdit } from '../../../src/lang/node/recipes/package-json.js';

describe('addDependenciesEdit', () => {
  const add = { '@opentelemetry/api': '1.10.0' };

  it('adds missing dependencies to a formatted package.json, sorted, keeping the rest', () => {
    const text = '{\n  "name": "api",\n  "dependencies": {\n    "express": "^4.21.2"\n  }\n}\n';
    const edited = applyTextEdits(text, [addDependenciesEdit(text, add)!]);
    expect(edited.ok && JSON.parse(edited.content)).toEqual({
      name: 'api',
      dependencies: { '@opentelemetry/api': '1.10.0', express: '^4.21.2' },
    });
  });

  it('handles a package.json written on one line', () => {
    const text = '{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.21.2"}}';
    const edit = addDependenciesEdit(text, add);
    expect(edit).toBeDefined();
    const edited = applyTextEdits(text, [edit!]);
    expect(edited.ok && JSON.parse(edited.content).dependencies).toEqual({
      '@opentelemetry/api': '1.10.0',
      express: '^4.21.2',
    });
  });

  it('proposes nothing when every dependency is already there', () => {
    expect(addDependenciesEdit('{"dependencies":{"@opentelemetry/api":"1.9.0"}}', add)).toBeUndefined();
  });
});

describe('addScriptEdit', () => {
  const start = (text: string) => {
    const edit = addScriptEdit(text, 'start', 'node --require ./tracing.cjs app.js');
    expect(edit).toBeDefined();
    const edited = applyTextEdits(text, [edit!]);
    if (!edited.ok) throw new Error('edit did not apply');
    return edited.content;
  };

  it('adds a "scripts" field before "dependencies" when there is none, in the file\'s indentation', () => {
    const text =
      '{\n  "name": "bookmarks",\n  "main": "app.js",\n  "dependencies": {\n    "express": "^4.21.2"\n  }\n}\n';
    const out = start(text);
    expect(out).toBe(
      '{\n  "name": "bookmarks",\n  "main": "app.js",\n  "scripts": {\n    "start": "node --require ./tracing.cjs app.js"\n  },\n  "dependencies": {\n    "express": "^4.21.2"\n  }\n}\n',
    );
  });

  it('adds the script first in an existing "scripts" object (multi-line, empty, one-line)', () => {
    expect(
      JSON.parse(start('{\n  "scripts": {\n    "test": "vitest"\n  },\n  "dependencies": {}\n}\n')).scripts,
    ).toEqual({ start: 'node --require ./tracing.cjs app.js', test: 'vitest' });
    expect(JSON.parse(start('{\n  "scripts": {\n  },\n  "dependencies": {}\n}\n')).scripts).toEqual({
      start: 'node --require ./tracing.cjs app.js',
    });
    expect(JSON.parse(start('{"scripts":{},"dependencies":{}}')).scripts).toEqual({
      start: 'node --require ./tracing.cjs app.js',
    });
    const oneLine = start('{"name":"x","scripts":{"test":"vitest"},"dependencies":{"express":"^4"}}');
    expect(oneLine).not.toContain('\n');
    expect(JSON.parse(oneLine).scripts).toEqual({ start: 'node --require ./tracing.cjs app.js', test: 'vitest' });
  });

  it('a one-line package.json without scripts stays on one line', () => {
    const out = start('{"name":"x","dependencies":{"express":"^4"}}');
    expect(out).toBe(
      '{"name":"x","scripts":{"start":"node --require ./tracing.cjs app.js"},"dependencies":{"express":"^4"}}',
    );
  });

  it('proposes nothing when the script exists or the file is not JSON', () => {
    expect(addScriptEdit('{"scripts":{"start":"node a.js"}}', 'start', 'x')).toBeUndefined();
    expect(addScriptEdit('{ not json', 'start', 'x')).toBeUndefined();
  });
});
