#!/usr/bin/env node
/**
 * The corpus summary: every app of test/fixtures/shapes/ (or those named on the command line) driven through steps 1–6
 * with the built CLI's JSON commands (real installs: npm, pip into a throwaway venv, the Go module proxy; shared between
 * apps by test/helpers/shape-installs.mjs), then run against the independent oracle receiver. Prints apps × steps
 * proven, oracle agreement and false passes, and why each unproven step is not proven (test/helpers/corpus-table.mjs,
 * the same table the end-to-end test prints). Run `npm run build` first.
 * Usage: node bench/corpus.mjs [--jobs N] [shape ...]   (--jobs: drives side by side, never two on one port; default 1)
 * Exit 1 when there is a false pass (a step called proven that the oracle does not confirm), an export the oracle
 * could not decode, or a drive that failed.
 */
import { readdirSync } from 'node:fs';
import { corpusTable } from '../test/helpers/corpus-table.mjs';
import { startOracle } from '../test/helpers/oracle-receiver.mjs';
import { prepareShapeInstalls } from '../test/helpers/shape-installs.mjs';
import { shapeSlots } from '../test/helpers/shape-slots.mjs';
import { driveShape, SHAPE_PORTS, SHAPES_DIR } from '../test/helpers/shapes-drive.mjs';

const args = process.argv.slice(2);
let jobs = 1;
const jobsAt = args.indexOf('--jobs');
if (jobsAt >= 0) {
  jobs = Number(args[jobsAt + 1]);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs needs a whole number ≥ 1, got ${args[jobsAt + 1]}`);
  args.splice(jobsAt, 2);
}
const all = readdirSync(SHAPES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const unknown = args.filter((name) => !all.includes(name));
if (unknown.length > 0)
  throw new Error(`no such shape in test/fixtures/shapes/: ${unknown.join(', ')} (there are: ${all.join(', ')})`);
const names = args.length > 0 ? args : all;

const env = await prepareShapeInstalls(names, { log: (line) => process.stderr.write(`${line}\n`) });
const slot = shapeSlots(jobs);
const rows = await Promise.all(
  names.map((name) =>
    slot(SHAPE_PORTS[name] ?? 0, async () => {
      // One oracle per drive: side by side, no drive sees another's spans.
      const oracle = await startOracle();
      const started = Date.now();
      let row;
      try {
        row = { ...(await driveShape(name, oracle, { env })), rejected: oracle.rejected };
      } catch (error) {
        row = { name, error: String(error) };
      } finally {
        await oracle.close();
      }
      row.seconds = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`${name} done in ${row.seconds}s\n`);
      return row;
    }),
  ),
);

const table = corpusTable(rows);
console.log(table.text);
process.exitCode = table.falsePasses > 0 || table.failedDrives > 0 || table.undecoded > 0 ? 1 : 0;
