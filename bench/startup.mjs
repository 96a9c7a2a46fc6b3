#!/usr/bin/env node
// Prints how long `trace-guide --help` takes beside `node -e 0` (the floor any Node CLI pays).
// Target: within 3x of `node -e 0`. Run after `npm run build`:  node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/trace-guide.js`;
if (!existsSync(`${root}dist/cli/main.js`)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 20);

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 2; i += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i >= 2) samples.push(ms); // two warm-up runs fill the OS file cache
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)] };
}

const floor = time(['-e', '0']);
const help = time([bin, '--help']);
const version = time([bin, '--version']);
const ratio = help.median / floor.median;
const row = (name, t) =>
  `${name.padEnd(26)} median ${t.median.toFixed(1).padStart(7)} ms   p90 ${t.p90.toFixed(1).padStart(7)} ms`;
console.log(`startup, ${runs} runs each (node ${process.version}, ${process.platform}/${process.arch})`);
console.log(row('node -e 0', floor));
console.log(row('trace-guide --help', help));
console.log(row('trace-guide --version', version));
console.log(`ratio --help / node -e 0: ${ratio.toFixed(2)}x (target <= 3x: ${ratio <= 3 ? 'met' : 'NOT met'})`);
