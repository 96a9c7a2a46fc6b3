/**
 * The corpus summary table, shared by bench/corpus.mjs and the end-to-end test (test/e2e/shapes-corpus.test.ts): apps ×
 * steps proven by trace-guide, what the oracle saw for the observable steps, agreement and false passes, then why each
 * unproven step is not proven. Rows are driveShape results (test/helpers/shapes-drive.mjs), or { name, error } for a
 * drive that threw, each with the seconds it took and `rejected`: the exports its oracle could not decode.
 */
export const OBSERVED_STEPS = [2, 3, 4, 6];

const mark = (b) => (b ? '✓' : '·');

/** The table and the findings as lines of text, and the totals. */
export function corpusTable(rows) {
  const lines = [
    `apps × steps proven by trace-guide (✓ proven, · not proven); oracle: ✓ saw it / · did not, for steps ${OBSERVED_STEPS.join(', ')}`,
    `${'app'.padEnd(20)} 1 2 3 4 5 6   oracle 2 3 4 6   agree  seconds`,
  ];
  let falsePasses = 0;
  let agreeing = 0;
  let judged = 0;
  let failedDrives = 0;
  let undecoded = 0;
  for (const r of rows) {
    if (r.error) {
      failedDrives += 1;
      lines.push(`${r.name.padEnd(20)} drive failed: ${r.error}`);
      continue;
    }
    const steps = [1, 2, 3, 4, 5, 6].map((s) => mark(r.proven[s])).join(' ');
    const seen = OBSERVED_STEPS.map((s) => mark(r.oracle[s])).join(' ');
    const agree = OBSERVED_STEPS.filter((s) => r.proven[s] === r.oracle[s]).length;
    agreeing += agree;
    judged += OBSERVED_STEPS.length;
    falsePasses += r.disagreements.length;
    undecoded += r.rejected?.length ?? 0;
    lines.push(
      `${r.name.padEnd(20)} ${steps}          ${seen}   ${agree}/${OBSERVED_STEPS.length}    ${String(r.seconds ?? '').padStart(7)}`,
    );
  }
  lines.push(
    '',
    `oracle agreement: ${agreeing}/${judged} observable step verdicts; false passes (proven, not seen by the oracle): ${falsePasses}; exports the oracle could not decode: ${undecoded}`,
  );
  lines.push('', 'why steps are not proven (findings about the product):');
  for (const r of rows) {
    if (r.error) continue;
    for (const [step, why] of Object.entries(r.failures))
      if (why.length > 0) lines.push(`  ${r.name} step ${step}: ${why.join('; ')}`);
    if (!r.ran) lines.push(`  ${r.name}: the oracle run did not happen: ${r.why}`);
    for (const d of r.disagreements) lines.push(`  FALSE PASS ${r.name}: ${d}`);
    for (const why of r.rejected ?? []) lines.push(`  UNDECODED EXPORT ${r.name}: ${why}`);
  }
  return { text: lines.join('\n'), falsePasses, agreeing, judged, failedDrives, undecoded };
}
