#!/usr/bin/env node
// Prints where a vitest run's time went, from its JSON report (`--reporter=json --outputFile.json=<file>`): the wall
// time of each project (first file start to last file end: e2e runs two files at a time) and the slowest files.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file, count = '15'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node .ci/slowest.mjs <vitest-json-report> [how many files]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const root = process.cwd() + path.sep;
const files = report.testResults.map((r) => ({
  name: r.name.startsWith(root) ? r.name.slice(root.length) : r.name,
  start: r.startTime,
  end: r.endTime,
  seconds: (r.endTime - r.startTime) / 1000,
  status: r.status,
}));
const first = Math.min(...files.map((f) => f.start));
const last = Math.max(...files.map((f) => f.end));
console.log(`vitest: ${files.length} files, ${Math.round((last - first) / 1000)} s from the first file's start to the last file's end; summed file time ${Math.round(files.reduce((s, f) => s + f.seconds, 0))} s`);
for (const f of [...files].sort((a, b) => b.seconds - a.seconds).slice(0, Number(count))) {
  console.log(`${f.seconds.toFixed(1).padStart(7)} s  ${f.status === 'passed' ? '' : `${f.status.toUpperCase()} `}${f.name}  (${Math.round((f.start - first) / 1000)}–${Math.round((f.end - first) / 1000)} s)`);
}
