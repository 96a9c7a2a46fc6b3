/**
 * Issue 16: the compose reader of the static checks did not read port ranges, so a Jaeger v2 compose file that still
 * publishes the v1 agent's UDP ports as a range ("6831-6832:6831-6832/udp") passed backend-config-current. Each way
 * Compose lets one write such a range must make the check fail.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { backendConfigCurrent } from '../../src/verify/checks/static/backend-config-current.js';
import { runCheck, show } from '../checks/static/helpers.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';

const made: string[] = [];
afterAll(async () => {
  for (const root of made) await removeSampleRepo(root);
});

function compose(agentPorts: string): string {
  return [
    'services:',
    '  jaeger:',
    '    image: jaegertracing/jaeger:2.15.0',
    '    ports:',
    '      - "16686:16686"',
    '      - "4317-4318:4317-4318"',
    agentPorts,
    '',
  ].join('\n');
}

describe('backend-config-current over Jaeger v1 agent ports written as ranges', () => {
  it.each([
    ['a host:container range with /udp', '      - "6831-6832:6831-6832/udp"'],
    ['a range bound to a host address', '      - "127.0.0.1:6831-6832:6831-6832/udp"'],
    ['a container-only range', '      - "6831-6832/udp"'],
    ['a range bound to an IPv6 address', '      - "[::]:6831-6832:6831-6832/udp"'],
  ])('does not pass for a compose publishing the agent UDP ports as %s', async (_how, line) => {
    const root = await makeSampleRepo({ 'compose.yaml': compose(line) });
    made.push(root);
    const r = await runCheck(backendConfigCurrent, root, { backend: 'jaeger' });
    expect(r.status, show(r)).toBe('fail');
    expect(r.summary, show(r)).toMatch(/Jaeger v1 agent UDP port/);
    expect(
      r.summary.match(/Jaeger v1 agent UDP port/g),
      'one finding per entry, not per port of its range',
    ).toHaveLength(1);
    expect(r.evidence, show(r)).toContainEqual(expect.objectContaining({ file: 'compose.yaml' }));
  });

  it('passes the same file without the agent ports (the OTLP range alone is current)', async () => {
    const root = await makeSampleRepo({ 'compose.yaml': compose('') });
    made.push(root);
    const r = await runCheck(backendConfigCurrent, root, { backend: 'jaeger' });
    expect(r.status, show(r)).toBe('pass');
  });
});
