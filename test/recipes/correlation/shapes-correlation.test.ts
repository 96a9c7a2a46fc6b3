/**
 * Step 6 on the real shapes (test/fixtures/shapes/): after step 2 is applied, the correlation recipes reach the logs the
 * app really writes during a request. Flask and Django apps that log nothing of their own (their server's access line
 * is written after the request's span ended) get one request line logged inside the span; uvicorn's access line is
 * inside the span, so FastAPI gets no extra line; an express-generator app's morgan lines get the ids; a Node app with
 * no logger at all gets a note that needs the user's edit, never a silent nothing.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Proposal } from '../../../src/types/proposal.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';
import { pyCompile, pythonFilesOf } from '../python/python-sample.js';

const SHAPES = path.resolve(import.meta.dirname, '../../fixtures/shapes');
let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Copies a shape, applies step 2's file changes, and returns step 6's proposals (and the repo dir). */
async function correlationOf(
  shape: string,
  tools: string[],
  edit?: (root: string) => Promise<void>,
): Promise<Proposal[]> {
  dir = await mkdtemp(path.join(tmpdir(), `tg-corr-${shape}-`));
  await cp(path.join(SHAPES, shape), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  if (edit) await edit(dir);
  const step2 = await planIn(dir, 'auto-instrumentation', {}, { tools });
  await applyIn(dir, step2.proposals);
  return (await planIn(dir, 'correlation', {}, { tools })).proposals;
}

const byId = (proposals: Proposal[], suffix: string) => proposals.find((p) => p.id.endsWith(`:${suffix}`));
const editOf = (p: Proposal | undefined) => (p?.change.kind === 'edit' ? p.change.edits : []);

async function applyAndCompile(proposals: Proposal[]): Promise<void> {
  await applyIn(dir!, proposals);
  await pyCompile(dir!, pythonFilesOf(proposals));
}

describe('Python shapes', () => {
  for (const [shape, call] of [
    ['flask-module', 'FlaskInstrumentor().instrument_app(app, response_hook=log_request_in_span)'],
    ['flask-factory', 'FlaskInstrumentor().instrument(response_hook=log_request_in_span)'],
    ['flask-gunicorn', 'FlaskInstrumentor().instrument(response_hook=log_request_in_span)'],
    ['django-runserver', 'DjangoInstrumentor().instrument(response_hook=log_request_in_span)'],
  ] as const) {
    test(`${shape}: ids on every handler's lines, and one request line logged inside the span (the access line comes after it)`, async () => {
      const proposals = await correlationOf(shape, ['pip']);
      const ids = byId(proposals, 'log-record-ids');
      expect(ids?.change.kind).toBe('edit');
      expect(
        editOf(ids)
          .map((e) => e.new)
          .join(''),
      ).toContain('logging.Handler.format = _format_with_trace_ids');
      const line = byId(proposals, 'request-log-line');
      expect(line?.change.kind, 'the request line is an edit shown as a diff').toBe('edit');
      expect(line!.why).toMatch(/written after the request's span has ended/);
      expect(line!.after).toContain(ids!.id);
      expect(editOf(line).map((e) => e.new)).toContain(call);
      await applyAndCompile(proposals);
      const setup = await readFile(path.join(dir!, (ids!.change as { path: string }).path), 'utf8');
      expect(setup).toContain(call);
      expect(setup).toContain('def log_request_in_span(span, *_):');
    });
  }

  test('fastapi-uvicorn: ids on every line (uvicorn.access is written inside the span), no extra request line', async () => {
    const proposals = await correlationOf('fastapi-uvicorn', ['pip']);
    expect(
      editOf(byId(proposals, 'log-record-ids'))
        .map((e) => e.new)
        .join(''),
    ).toContain('_format_with_trace_ids');
    expect(byId(proposals, 'request-log-line')).toBeUndefined();
    await applyAndCompile(proposals);
  });

  test('a Flask app that logs on its own gets the ids on its lines but no added request line', async () => {
    const proposals = await correlationOf('flask-module', ['pip'], async (root) => {
      const app = path.join(root, 'app.py');
      const text = await readFile(app, 'utf8');
      await writeFile(
        app,
        text
          .replace('from flask import', 'import logging\n\nfrom flask import')
          .replace(
            '    return jsonify(TODOS)',
            '    logging.getLogger(__name__).info("listing %d todos", len(TODOS))\n    return jsonify(TODOS)',
          ),
      );
    });
    expect(byId(proposals, 'log-record-ids')?.change.kind).toBe('edit');
    expect(byId(proposals, 'request-log-line')).toBeUndefined();
  });
});

describe('Node shapes', () => {
  test("express-bin-www: morgan's request lines get the ids from a module loaded by the set-up", async () => {
    const proposals = await correlationOf('express-bin-www', ['npm']);
    const module = byId(proposals, 'log-correlation-module');
    expect(module?.change.kind).toBe('create');
    const text = module!.change.kind === 'create' ? module!.change.content : '';
    expect(text).toContain('morgan.format(name, function withTraceIds');
    expect(text).not.toContain('console[method]');
    expect(byId(proposals, 'load-log-correlation')?.change.kind).toBe('edit');
  });

  test("an Express app with no logger and no console call gets a note that needs the user's edit", async () => {
    const proposals = await correlationOf('express-bin-www', ['npm'], async (root) => {
      const pkg = path.join(root, 'package.json');
      await writeFile(pkg, (await readFile(pkg, 'utf8')).replace(/,\s*"morgan": "[^"]*"/, ''));
      const app = path.join(root, 'app.js');
      await writeFile(
        app,
        (await readFile(app, 'utf8'))
          .replace("var logger = require('morgan');\n", '')
          .replace("app.use(logger('dev'));\n", ''),
      );
    });
    const note = byId(proposals, 'log-correlation');
    expect(note?.change).toMatchObject({ kind: 'note', required: true });
    expect(proposals.filter((p) => p.change.kind !== 'note')).toEqual([]);
  });
});
