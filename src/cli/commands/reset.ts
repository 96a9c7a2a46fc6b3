import { resolveRepoRoot } from '../../repo/resolve-root.js';
import { backupSession } from '../../session/store.js';
import type { ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { writeJson, writeText } from '../output.js';

export async function runReset(args: ParsedArgs): Promise<number> {
  const root = await resolveRepoRoot(args.dir);
  const backup = await backupSession(root);
  if (args.json) writeJson({ ok: true, repo: root, backup: backup ?? null });
  else if (backup) writeText(`The session was moved to ${backup}; the next \`trace-guide\` starts fresh.`);
  else writeText(`No session in ${root}: nothing to reset.`);
  return EXIT.ok;
}
