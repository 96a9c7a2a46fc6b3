#!/usr/bin/env node
/**
 * The corpus summary: every app of test/fixtures/shapes/ (or those named on the command line) driven through steps 1–6
 * with the built CLI's JSON commands (real installs: npm, pip into a throwaway venv, the Go module proxy), then run
 * against the independent oracle receiver. Prints apps × steps proven, oracle agreement and false passes, and why each
 * unproven step is not proven. Run `npm run build` first. Usage: node bench/corpus.mjs [shape ...]
 * Exit 1 when there is a false pass (a step called proven that the oracle does not confirm).
 */
import { readdirSync } from 'node:fs';
import { startOracle } from '../test/helpers/oracle-receiver.mjs';
import { driveShape, SHAPES_DIR } from '../test/helpers/shapes-drive.mjs';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(SHAPES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const OBSERVED = [2, 3, 4, 6];

const oracle = await startOracle();
const rows = [];
for (const name of names) {
  const started = Date.now();
  try {
    rows.push({ ...(await driveShape(name, oracle)), seconds: Math.round((Date.now() - started) / 1000) });
  } catch (error) {
    rows.push({ name, error: String(error), seconds: Math.round((Date.now() - started) / 1000) });
  }
  process.stderr.write(`${name} done in ${rows.at(-1).seconds}s\n`);
}
await oracle.close();

const mark = (b) => (b ? '✓' : '·');
console.log(`apps × steps proven by trace-guide (✓ proven, · not proven); oracle: ✓ saw it / · did not, for steps ${OBSERVED.join(', ')}`);
console.log(`${'app'.padEnd(20)} 1 2 3 4 5 6   oracle 2 3 4 6   agree  seconds`);
let falsePasses = 0;
let agreeing = 0;
let judged = 0;
for (const r of rows) {
  if (r.error) {
    console.log(`${r.name.padEnd(20)} drive failed: ${r.error}`);
    continue;
  }
  const steps = [1, 2, 3, 4, 5, 6].map((s) => mark(r.proven[s])).join(' ');
  const seen = OBSERVED.map((s) => mark(r.oracle[s])).join(' ');
  const agree = OBSERVED.filter((s) => r.proven[s] === r.oracle[s]).length;
  agreeing += agree;
  judged += OBSERVED.length;
  falsePasses += r.disagreements.length;
  console.log(`${r.name.padEnd(20)} ${steps}          ${seen}   ${agree}/${OBSERVED.length}    ${r.seconds}`);
}
console.log(`\noracle agreement: ${agreeing}/${judged} observable step verdicts; false passes (proven, not seen by the oracle): ${falsePasses}`);
console.log('\nwhy steps are not proven (findings about the product):');
for (const r of rows) {
  if (r.error) continue;
  for (const [step, why] of Object.entries(r.failures)) if (why.length > 0) console.log(`  ${r.name} step ${step}: ${why.join('; ')}`);
  if (!r.ran) console.log(`  ${r.name}: the oracle run did not happen: ${r.why}`);
  for (const d of r.disagreements) console.log(`  FALSE PASS ${r.name}: ${d}`);
}
process.exitCode = falsePasses > 0 ? 1 : 0;
