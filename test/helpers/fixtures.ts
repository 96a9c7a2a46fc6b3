import type { ScanResult } from '../../src/types/scan.js';
import type { Proposal } from '../../src/types/proposal.js';
import type { StepId } from '../../src/skill/schema.js';
import type { CheckResult } from '../../src/types/check-result.js';
import { createSession } from '../../src/session/machine.js';
import type { Session } from '../../src/session/schema.js';

export const NOW = '2026-11-25T12:00:00.000Z';

export function emptyScan(root = '/repo'): ScanResult {
  return { root, fileCount: 0, usedGit: false, services: [], problems: [], durationMs: 1 };
}

export function newSession(root = '/repo'): Session {
  return createSession({
    id: 'session-1',
    now: NOW,
    repoRoot: root,
    skill: { id: 'instrument-distributed-tracing', version: '1.0.0' },
    scan: emptyScan(root),
  });
}

export function proposal(id: string, step: StepId = 'backend'): Proposal {
  return {
    id,
    step,
    title: `proposal ${id}`,
    why: 'because a test needs it',
    change: { kind: 'create', path: `${id}.txt`, content: 'hello\n' },
    source: 'recipe',
    after: [],
  };
}

export function check(itemId: string, status: CheckResult['status']): CheckResult {
  return { itemId, status, summary: `${itemId} ${status}`, evidence: [] };
}
