/**
 * What the checks and the doctor read: the repo as scanned now, the session's answers, and the services chosen in them
 * (all services when none were chosen). The caller adds how the runtime run is started.
 */
import { RepoReader } from '../repo/repo-reader.js';
import type { ScanResult } from '../types/scan.js';
import type { InputValue } from '../session/schema.js';
import type { Workspace } from '../session/workspace.js';
import type { CheckContext } from '../verify/check.js';

export function checkContextFor(
  workspace: Workspace,
  scan: ScanResult,
  inputs: Record<string, InputValue>,
): Omit<CheckContext, 'runtime'> {
  const chosen = inputs.services;
  return {
    root: workspace.root,
    skill: workspace.skill,
    scan,
    inputs,
    services: Array.isArray(chosen)
      ? scan.services.filter((s) => chosen.includes(s.id) || chosen.includes(s.name))
      : scan.services,
    repo: new RepoReader(workspace.root),
  };
}
