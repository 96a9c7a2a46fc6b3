import { resolveRepoRoot } from '../../repo/resolve-root.js';
import { scanRepo } from '../../repo/scan.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatScan } from '../../text/scan-text.js';
import { writeJson, writeText } from '../output.js';

export async function runScan(args: ParsedArgs): Promise<number> {
  const root = await resolveRepoRoot(args.dir);
  const scan = await scanRepo(root);
  if (args.json) writeJson({ ok: true, scan });
  else writeText(formatScan(scan));
  return EXIT.ok;
}
