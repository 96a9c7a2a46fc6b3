import { describe, expect, it } from 'vitest';
import { applyTextEdits } from '../../../src/edit/text-edit.js';
import { addDependenciesEdit } from '../../../src/plan/recipes/node/package-json.js';

describe('addDependenciesEdit', () => {
  const add = { '@opentelemetry/api': '1.10.0' };

  it('adds missing dependencies to a formatted package.json, sorted, keeping the rest', () => {
    const text = '{\n  "name": "api",\n  "dependencies": {\n    "express": "^4.21.2"\n  }\n}\n';
    const edited = applyTextEdits(text, [addDependenciesEdit(text, add)!]);
    expect(edited.ok && JSON.parse(edited.content)).toEqual({ name: 'api', dependencies: { '@opentelemetry/api': '1.10.0', express: '^4.21.2' } });
  });

  it('handles a package.json written on one line', () => {
    const text = '{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.21.2"}}';
    const edit = addDependenciesEdit(text, add);
    expect(edit).toBeDefined();
    const edited = applyTextEdits(text, [edit!]);
    expect(edited.ok && JSON.parse(edited.content).dependencies).toEqual({ '@opentelemetry/api': '1.10.0', express: '^4.21.2' });
  });

  it('proposes nothing when every dependency is already there', () => {
    expect(addDependenciesEdit('{"dependencies":{"@opentelemetry/api":"1.9.0"}}', add)).toBeUndefined();
  });
});
