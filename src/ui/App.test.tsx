import React from 'react';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { emptyScan, newSession } from '../../test/helpers/fixtures.js';
import { defaultSkillDir, loadSkill } from '../skill/load.js';
import type { Skill } from '../skill/schema.js';
import type { ScanResult } from '../types/scan.js';
import { SessionFileError } from '../session/store.js';
import { reduce } from '../session/machine.js';
import { App, type AppProps } from './App.js';
import { leadParagraph } from './components/StepPanel.js';
import { fakeActions } from '../../test/helpers/fake-actions.js';
import { ENTER, DOWN, frameWith } from '../../test/helpers/ink.js';

let skill: Skill;
beforeAll(async () => {
  skill = await loadSkill(defaultSkillDir());
});

const scanWithService: ScanResult = {
  ...emptyScan('/repo'),
  fileCount: 12,
  services: [
    {
      id: 'api',
      name: 'api',
      root: 'api',
      language: 'node',
      manifest: 'api/package.json',
      frameworks: [{ name: 'express', evidence: { file: 'api/server.js', line: 1 } }],
      entrypoint: { file: 'api/server.js', evidence: { file: 'api/package.json', line: 4 } },
      port: { value: 3000, evidence: { file: 'api/server.js', line: 9 } },
      httpClients: [],
      queueClients: [],
      dbClients: [],
      logging: [],
      tracing: [{ name: 'dd-trace', evidence: { file: 'api/package.json', line: 7 } }],
    },
  ],
};

function props(overrides: Partial<AppProps>): AppProps {
  return {
    repoRoot: '/repo',
    skill,
    scan: scanWithService,
    existing: { kind: 'none' },
    mode: 'ask',
    actions: fakeActions({ start: vi.fn(async () => ({ session: newSession(), backup: undefined })) }),
    ...overrides,
  };
}

describe('the guide screen', () => {
  it('shows the scan summary and the six steps, and starts a session on Enter', async () => {
    const start = vi.fn(async () => ({ session: newSession(), backup: undefined }));
    const { lastFrame, stdin } = render(<App {...props({ actions: fakeActions({ start }) })} />);
    const frame = await frameWith(lastFrame, 'Start the guide');
    expect(frame).toContain('1 service(s)');
    expect(frame).toContain('api');
    expect(frame).toContain('express');
    expect(frame).toContain(':3000');
    expect(frame).toContain('tracing: dd-trace');
    for (const step of skill.steps) expect(frame).toContain(step.title);
    stdin.write(ENTER);
    await frameWith(lastFrame, skill.steps[0]!.goal.slice(0, 30));
    expect(start).toHaveBeenCalledTimes(1);
    expect(lastFrame()).toContain('▸ 1.');
  });

  it('says so when no service was found', async () => {
    const { lastFrame } = render(<App {...props({ scan: emptyScan('/repo') })} />);
    expect(await frameWith(lastFrame, 'No service found')).toContain('package.json');
  });

  it('offers to resume a saved session, showing where it stopped and the drift', async () => {
    const skipped = reduce(
      newSession(),
      { type: 'skip', confirmed: true, required: [], reason: 'later' },
      '2026-11-25T12:01:00.000Z',
    );
    if (!skipped.ok) throw new Error(skipped.error);
    const existing = {
      kind: 'found' as const,
      session: skipped.session,
      drift: [{ path: 'docker-compose.yml', step: 'backend' as const, kind: 'modified' as const }],
    };
    const start = vi.fn(async () => ({ session: newSession(), backup: '.trace-guide/session.x.bak.json' }));
    const { lastFrame, stdin } = render(<App {...props({ existing, actions: fakeActions({ start }) })} />);
    const frame = await frameWith(lastFrame, 'Resume where it stopped');
    expect(frame.replace(/\s+/g, ' ')).toContain(`stopped at step 2, ${skill.steps[1]!.title}`);
    expect(frame).toMatch(/↷ 1\. .*skipped/);
    expect(frame).toContain('modified docker-compose.yml');
    stdin.write(ENTER);
    const resumed = await frameWith(lastFrame, skill.steps[1]!.goal.slice(0, 30));
    expect(resumed).toMatch(/↷ 1\./);
    expect(start).not.toHaveBeenCalled();
  });

  it('starts fresh from the offer and says where the old session was kept', async () => {
    const existing = { kind: 'found' as const, session: newSession(), drift: [] };
    const start = vi.fn(async () => ({ session: newSession(), backup: '.trace-guide/session.old.bak.json' }));
    const { lastFrame, stdin } = render(<App {...props({ existing, actions: fakeActions({ start }) })} />);
    await frameWith(lastFrame, 'Start fresh');
    stdin.write(DOWN);
    await new Promise((resolve) => setTimeout(resolve, 20));
    stdin.write(ENTER);
    expect(await frameWith(lastFrame, 'kept as .trace-guide/session.old.bak.json')).toBeTruthy();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('opens the session directly when resuming without asking', async () => {
    const existing = { kind: 'found' as const, session: newSession(), drift: [] };
    const { lastFrame } = render(<App {...props({ existing, mode: 'resume' })} />);
    const frame = await frameWith(lastFrame, skill.steps[0]!.goal.slice(0, 30));
    expect(frame).not.toContain('Resume where it stopped');
  });

  it('explains an unusable session file and offers to start fresh', async () => {
    const error = new SessionFileError(
      'corrupt',
      '/repo/.trace-guide/session.json',
      'the session file /repo/.trace-guide/session.json is not valid JSON',
    );
    const { lastFrame } = render(<App {...props({ existing: { kind: 'unusable', error } })} />);
    const frame = await frameWith(lastFrame, 'is not valid JSON');
    expect(frame).toContain('kept as a backup');
  });

  it('shows an error from the core instead of crashing', async () => {
    const start = vi.fn(async () => {
      throw new Error('EACCES: permission denied, mkdir /repo/.trace-guide');
    });
    const { lastFrame, stdin } = render(<App {...props({ actions: fakeActions({ start }) })} />);
    await frameWith(lastFrame, 'Start the guide');
    stdin.write(ENTER);
    expect(await frameWith(lastFrame, 'permission denied')).toBeTruthy();
  });
});

describe('leadParagraph', () => {
  it('takes the first prose paragraph, skipping headings, lists and code', () => {
    const page = '# Title\n\n- a list\n\n```js\ncode\n```\n\nThe **first** real\n`paragraph`.\n\nSecond one.';
    expect(leadParagraph(page)).toBe('The first real paragraph.');
  });
});
