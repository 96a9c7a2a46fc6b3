#!/usr/bin/env node
// Bench for the model planner's spend: runs planStepWithModel (the real SDK) against a scripted local Messages API on
// 127.0.0.1 and prints, per step, the turns and the input / output / cache-read tokens the scripted replies reported, plus
// the size of what the planner sent (request bytes), which is what the real input tokens follow.
//
//   npm run build && node bench/model-tokens.mjs
//
// Imports the compiled planner from ../dist/plan/model/model-planner.js.
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { planStepWithModel } = await dist('plan/model/model-planner.js');
const { scanRepo } = await dist('repo/scan.js');
const { createPlanContext } = await dist('plan/context.js');
const { ToolLookup } = await dist('plan/tools.js');
const { defaultSkillDir, loadSkill } = await dist('skill/load.js');

const root = mkdtempSync(path.join(tmpdir(), 'trace-guide-bench-model-'));
const write = (rel, text) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};
write(
  'package.json',
  JSON.stringify(
    { name: 'api', version: '1.0.0', main: 'src/index.js', dependencies: { express: '^4.19.0' } },
    null,
    2,
  ),
);
write(
  'src/index.js',
  "const express = require('express');\nconst app = express();\napp.get('/orders', (req, res) => res.json([]));\napp.listen(3000);\n",
);

let n = 0;
const use = (name, input) => ({ type: 'tool_use', id: `toolu_${++n}`, name, input });
const msg = (blocks, bytesIn) => ({
  id: `msg_${++n}`,
  type: 'message',
  role: 'assistant',
  model: 'scripted',
  content: blocks,
  stop_reason: 'tool_use',
  stop_sequence: null,
  // a rough stand-in for real counts: ~4 bytes per token of the request, a fixed reply size
  usage: {
    input_tokens: Math.ceil(bytesIn / 4),
    output_tokens: 40 * blocks.length,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  },
});
const script = {
  'auto-instrumentation': [
    [use('list_files', {})],
    [use('read_file', { path: 'src/index.js' })],
    [
      use('propose_edit', {
        title: 'Load tracing first',
        why: 'before express',
        path: 'src/index.js',
        edits: [
          {
            old: "const express = require('express');",
            new: "require('./tracing');\nconst express = require('express');",
          },
        ],
      }),
    ],
    [use('finish', { summary: 'done' })],
  ],
  'manual-spans': [[use('search_code', { query: 'app.get' })], [use('finish', { summary: 'done' })]],
};

let queue = [];
const bytes = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const size = Buffer.concat(chunks).length;
    bytes.push(size);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(msg(queue.shift() ?? [use('finish', { summary: 'out of script' })], size)));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const baseURL = `http://127.0.0.1:${server.address().port}`;

try {
  const skill = await loadSkill(defaultSkillDir());
  const scan = await scanRepo(root);
  const ctx = createPlanContext({ root, skill, scan, inputs: {}, tools: new ToolLookup('') });
  console.log('step                   turns  input  output  cache-read  request-bytes');
  for (const [step, replies] of Object.entries(script)) {
    queue = [...replies];
    bytes.length = 0;
    const plan = await planStepWithModel(ctx, step, { apiKey: 'bench', baseURL, model: 'scripted' });
    const u = plan.usage;
    console.log(
      `${step.padEnd(22)} ${String(plan.turns).padStart(5)} ${String(u.inputTokens).padStart(6)} ${String(u.outputTokens).padStart(7)} ${String(u.cacheReadTokens).padStart(11)} ${String(bytes.reduce((a, b) => a + b, 0)).padStart(14)}`,
    );
  }
} finally {
  server.close();
  rmSync(root, { recursive: true, force: true });
}
