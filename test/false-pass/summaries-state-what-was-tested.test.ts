/**
 * Issue 14 item 1: a summary said "accepts OTLP on 4317 and 4318" after testing a receiver on two random ports. A
 * summary states what was actually tested: the addresses used, and what was not tested.
 */
import { describe, expect, it } from 'vitest';
import { createBackendAcceptsOtlpCheck } from '../../src/verify/checks/backend/backend-accepts-otlp.js';
import { defaultSkillDir, loadSkill } from '../../src/skill/load.js';
import { backendTestResources, checkContext } from '../checks/backend/helpers.js';

const { repo } = backendTestResources('trace-guide-false-pass-summary-');
const fast = { env: {}, deadlineMs: 400, pollIntervalMs: 50, requestTimeoutMs: 2000 };

describe('backend-accepts-otlp with the built-in receiver', () => {
  it('names the ports it really tested, and they are not claimed to be 4318/4317', async () => {
    const root = await repo({ 'package.json': '{"name":"svc","scripts":{"start":"node server.js"}}' });
    const result = await createBackendAcceptsOtlpCheck(fast).run(await checkContext(root, { backend: 'local' }));
    expect(result.status, result.summary).toBe('pass');
    const tested = [...result.summary.matchAll(/http:\/\/[\d.[\]:]+:(\d+)/g)].map((m) => Number(m[1]));
    expect(tested).toHaveLength(2);
    expect(result.summary).toMatch(/started for this check on free ports/);
    expect(result.summary).not.toMatch(/accepts OTLP on 4317 and 4318|accepts OTLP over HTTP and gRPC, and/);
  });

  it('the item title claims no port numbers the check may not have used', async () => {
    const skill = await loadSkill(defaultSkillDir());
    const item = skill.checklist.find((i) => i.id === 'backend-accepts-otlp')!;
    expect(item.title).not.toMatch(/4317|4318/);
  });
});
