/**
 * Issue 14 item 3: the proposals of one apply must not invalidate each other. On a package.json written on one line the
 * node recipe plans the dependencies edit, the install command, the set-up file and the start-script edit; a package
 * manager that rewrites package.json in its own layout (a real `npm install` of a tiny package: npm writes a one-line
 * file back without the spaces the user put in it) must not make the start-script edit fail as "file changed since
 * the plan".
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { applyProposals } from '../../../src/edit/apply.js';
import { orderProposals } from '../../../src/edit/order.js';
import { ProposalSchema, type Proposal } from '../../../src/types/proposal.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { planIn, snapshot, undoIn } from '../../helpers/recipe-harness.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSampleRepo));
});

const ONE_LINE =
  '{ "name": "one-line", "version": "1.0.0", "main": "server.js", "scripts": { "start": "node server.js" }, "dependencies": { } }\n';
const SERVER =
  "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n";

/** A real install of one tiny package (no dependencies of its own) instead of the OpenTelemetry SDK, to stay fast. */
const INSTALL = 'npm install --save-exact --no-audit --no-fund is-number@7.0.0';

describe('one apply on a one-line package.json', () => {
  test('file edits run before the command that rewrites the file, and every proposal applies', {
    timeout: 120_000,
  }, async () => {
    const dir = await makeSampleRepo({ 'package.json': ONE_LINE, 'server.js': SERVER });
    dirs.push(dir);
    const before = await snapshot(dir);
    const plan = await planIn(dir, 'auto-instrumentation', {}, { tools: ['npm'] });
    const install = plan.proposals.find((p) => p.change.kind === 'command');
    const load = plan.proposals.find((p) => p.id.endsWith(':load-tracing'));
    expect(install, 'the recipe plans an install command').toBeDefined();
    expect(load?.change.kind).toBe('edit');
    // The recipe's proposals in the recipe's order, with the SDK install swapped for a real install of a tiny package
    // (npm rewrites package.json all the same) and without the SDK dependencies edit (npm would fetch the whole SDK).
    const proposals = plan.proposals
      .filter((p) => !p.id.endsWith(':otel-dependencies'))
      .map((p) =>
        p === install && p.change.kind === 'command'
          ? { ...p, after: [], change: { ...p.change, command: INSTALL } }
          : p,
      );
    expect(
      proposals.map((p) => p.id).indexOf(install!.id),
      'the recipe puts the install before the script edit',
    ).toBeLessThan(proposals.indexOf(load!));

    const outcome = await applyProposals(dir, proposals);
    expect(outcome.results.filter((r) => !r.ok)).toEqual([]);
    const pkg = await readFile(path.join(dir, 'package.json'), 'utf8');
    expect(pkg, 'npm really rewrote the file').not.toContain('"start": ');
    const data = JSON.parse(pkg) as { scripts: { start: string }; dependencies: Record<string, string> };
    expect(data.scripts.start).toBe('node --require ./tracing.cjs server.js');
    expect(data.dependencies).toEqual({ 'is-number': '7.0.0' });
    // The command ran last, after every file change of the apply.
    expect(outcome.results.at(-1)!.proposalId).toBe(install!.id);

    await undoIn(dir, outcome.writes);
    await rm(path.join(dir, 'node_modules'), { recursive: true, force: true });
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe('orderProposals', () => {
  const p = (id: string, kind: 'edit' | 'command', after: string[] = []) =>
    ProposalSchema.parse({
      id,
      step: 'auto-instrumentation',
      title: id,
      why: 'test',
      source: 'recipe',
      after,
      change: kind === 'command' ? { kind, command: 'true' } : { kind, path: 'a', edits: [{ old: 'a', new: 'b' }] },
    }) as Proposal;

  test('moves file changes ahead of commands, but never ahead of a command they name in `after`', () => {
    const order = orderProposals([
      p('deps', 'edit'),
      p('install', 'command', ['deps']),
      p('script', 'edit'),
      p('uses-install', 'edit', ['install']),
      p('chain', 'edit', ['uses-install']),
    ]);
    expect(order.map((x) => x.id)).toEqual(['deps', 'script', 'install', 'uses-install', 'chain']);
  });

  test('keeps commands in their given order and still survives a cycle', () => {
    const order = orderProposals([
      p('c1', 'command'),
      p('c2', 'command'),
      p('x', 'edit', ['y']),
      p('y', 'edit', ['x']),
    ]);
    expect(order.map((x) => x.id).sort()).toEqual(['c1', 'c2', 'x', 'y']);
    expect(order.findIndex((x) => x.id === 'c1')).toBeLessThan(order.findIndex((x) => x.id === 'c2'));
    expect(order.findIndex((x) => x.id === 'x')).toBeLessThan(order.findIndex((x) => x.id === 'c1'));
  });
});
