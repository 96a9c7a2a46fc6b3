import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { TraceGuideError } from '../core/errors.js';
import { defaultSkillDir, loadSkill, STEP_ORDER } from './load.js';
import type { Skill } from './schema.js';

/** The source skill's verification checklist (10 lines) and pitfalls (7 lines), as our ids. */
const SOURCE_VERIFICATION = [
  'backend-receives-spans-from-all-services',
  'parent-child-across-services',
  'attributes-semconv-and-business-context',
  'context-propagates-over-http',
  'context-propagates-over-queues',
  'sampling-reduces-volume',
  'error-traces-always-kept',
  'trace-ids-in-logs',
  'metrics-link-to-traces-via-exemplars',
  'logs-link-to-trace-view',
  'retention-matches-policy',
];
const SOURCE_PITFALLS = [
  'pitfall-context-not-propagated',
  'pitfall-span-not-ended',
  'pitfall-over-instrumentation',
  'pitfall-errors-not-recorded',
  'pitfall-high-cardinality',
  // pitfall 5 split: its secrets part is a required item of its own, proven with the spans that arrive.
  'pitfall-credentials-in-spans',
  'pitfall-wrong-span-kind',
  'pitfall-sampler-ignores-parent',
];

/** Facts of stale OpenTelemetry setups that the source skill still teaches (DESIGN.md §4). */
const STALE = [
  'all-in-one:1',
  '6831',
  'RateLimitingSampler',
  "version: '3",
  'datasourceName',
  'new Resource(',
  'traces_span_metrics_duration',
];

describe('the shipped skill', () => {
  let skill: Skill;
  beforeAll(async () => {
    skill = await loadSkill(defaultSkillDir());
  });

  it('resolves the skill folder from the package root', () => {
    expect(defaultSkillDir()).toMatch(/skills[\\/]instrument-distributed-tracing$/);
    expect(skill.dir).toBe(defaultSkillDir());
  });

  it('loads with the six steps in order', () => {
    expect(skill.id).toBe('instrument-distributed-tracing');
    expect(skill.version).toBe('1.0.0');
    expect(skill.steps.map((s) => s.id)).toEqual([
      'backend',
      'auto-instrumentation',
      'manual-spans',
      'propagation',
      'sampling',
      'correlation',
    ]);
    skill.steps.forEach((step, i) => expect(step.reference).toBe(`steps/${i + 1}-${step.id}.md`));
  });

  it('covers every verification item of the source checklist', () => {
    const byId = new Map(skill.checklist.map((c) => [c.id, c]));
    for (const id of SOURCE_VERIFICATION) {
      expect(byId.get(id)?.origin, id).toBe('verification');
    }
    expect(
      skill.checklist
        .filter((c) => c.origin === 'verification')
        .map((c) => c.id)
        .sort(),
    ).toEqual([...SOURCE_VERIFICATION].sort());
  });

  it('covers every pitfall of the source', () => {
    expect(
      skill.checklist
        .filter((c) => c.origin === 'pitfall')
        .map((c) => c.id)
        .sort(),
    ).toEqual([...SOURCE_PITFALLS].sort());
  });

  it('keeps the expected outcome of each step', () => {
    const ids = skill.checklist.map((c) => c.id);
    for (const id of [
      'backend-accepts-otlp',
      'http-requests-create-server-spans',
      'custom-spans-have-correct-parents',
      'propagators-configured',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('uses every checklist item in some step, and only existing ones', () => {
    const used = new Set(skill.steps.flatMap((s) => s.checklist));
    expect([...used].sort()).toEqual(skill.checklist.map((c) => c.id).sort());
  });

  it('asks for the backend with the five choices, jaeger preselected', () => {
    const backend = skill.steps[0]!.inputs.find((i) => i.id === 'backend')!;
    expect(backend.choices!.map((c) => c.value)).toEqual(['jaeger', 'tempo', 'zipkin', 'otlp-vendor', 'local']);
    expect(backend.default).toBe('jaeger');
    const endpoint = skill.steps[0]!.inputs.find((i) => i.id === 'otlp-endpoint')!;
    expect(endpoint.when).toEqual({ backend: ['otlp-vendor'] });
  });

  it('has a sampling percentage between 0 and 100 with a default', () => {
    const pct = skill.steps[4]!.inputs.find((i) => i.id === 'sampling-percent')!;
    expect(pct).toMatchObject({ kind: 'number', min: 0, max: 100, default: 10 });
  });

  it('has a non-empty reference page per step without stale facts', () => {
    for (const step of skill.steps) {
      const page = skill.pages[step.id];
      expect(page.trim().length, step.id).toBeGreaterThan(500);
      for (const stale of STALE) expect(page, `${step.reference} contains ${stale}`).not.toContain(stale);
      // each page names the checklist items it is verified by
      for (const id of step.checklist) expect(page, `${step.reference} names ${id}`).toContain(id);
    }
  });

  it('pages use the stable semantic-convention names', () => {
    const all = Object.values(skill.pages).join('\n');
    for (const name of [
      'http.request.method',
      'http.response.status_code',
      'db.query.text',
      'db.system.name',
      'resourceFromAttributes',
      'traces_spanmetrics_',
      'datasourceUid',
      'jaegertracing/jaeger:2.',
      '0.0.0.0:4317',
      'ParentBased',
      'tail_sampling',
    ]) {
      expect(all).toContain(name);
    }
  });
});

describe('invalid skill files', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function copyOfShipped(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'trace-guide-skill-'));
    dirs.push(dir);
    await cp(defaultSkillDir(), dir, { recursive: true });
    return dir;
  }

  /** A copy of the shipped skill whose parsed skill.yaml was changed by `edit`. */
  async function skillWith(edit: (data: any) => void): Promise<string> {
    const dir = await copyOfShipped();
    const file = path.join(dir, 'skill.yaml');
    const data = parse(await readFile(file, 'utf8'));
    edit(data);
    await writeFile(file, stringify(data));
    return dir;
  }

  async function failure(dir: string): Promise<TraceGuideError> {
    const error = await loadSkill(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TraceGuideError);
    expect((error as TraceGuideError).kind).toBe('input');
    return error as TraceGuideError;
  }

  it('a copy of the shipped skill loads (sanity for the cases below)', async () => {
    const skill = await loadSkill(await skillWith(() => {}));
    expect(skill.steps).toHaveLength(6);
  });

  it('missing title of a step', async () => {
    const dir = await skillWith((d) => {
      delete d.steps[2].title;
    });
    const { message } = await failure(dir);
    expect(message).toContain(path.join(dir, 'skill.yaml'));
    expect(message).toMatch(/steps\[2\]\.title: expected a string, but it is missing/);
  });

  it('empty title reads "expected a non-empty string", with line and column', async () => {
    const dir = await skillWith((d) => {
      d.steps[2].title = '';
    });
    const { message } = await failure(dir);
    expect(message).toMatch(/skill\.yaml:\d+:\d+: steps\[2\]\.title: expected a non-empty string$/);
  });

  it('wrong step order', async () => {
    const dir = await skillWith((d) => {
      [d.steps[3], d.steps[4]] = [d.steps[4], d.steps[3]];
    });
    const { message } = await failure(dir);
    expect(message).toContain('steps[3].id: expected "propagation"');
    expect(message).toContain('got "sampling"');
    expect(message).toContain('steps[4].id: expected "sampling"');
  });

  it('unknown step id', async () => {
    const dir = await skillWith((d) => {
      d.steps[1].id = 'instrument';
    });
    const { message } = await failure(dir);
    expect(message).toMatch(
      /steps\[1\]\.id: expected one of backend, auto-instrumentation, .*got the string "instrument"/,
    );
  });

  it('unknown checklist id in a step', async () => {
    const dir = await skillWith((d) => {
      d.steps[2].checklist[1] = 'spans-are-pretty';
    });
    const { message } = await failure(dir);
    expect(message).toContain(
      'steps[2].checklist[1]: expected the id of an item in checklist, got unknown id "spans-are-pretty"',
    );
  });

  it('checklist item used by no step', async () => {
    const dir = await skillWith((d) => {
      d.checklist.push({
        id: 'orphan-item',
        title: 'Orphan',
        description: 'Nobody uses it.',
        origin: 'expected-outcome',
        method: 'static',
        required: true,
      });
    });
    const { message } = await failure(dir);
    expect(message).toMatch(
      /checklist\[\d+\]\.id: expected every checklist item to be used by a step, but no step lists "orphan-item"/,
    );
  });

  it('duplicate checklist id', async () => {
    const dir = await skillWith((d) => {
      d.checklist.push({ ...d.checklist[0] });
    });
    const { message } = await failure(dir);
    expect(message).toMatch(
      /checklist\[\d+\]\.id: expected a unique id, but "backend-config-current" is also checklist\[0\]/,
    );
  });

  it('`when` naming an unknown input', async () => {
    const dir = await skillWith((d) => {
      const item = d.checklist.find((c: any) => c.id === 'error-traces-always-kept');
      item.when = { 'tail-sampler': ['errors'] };
    });
    const { message } = await failure(dir);
    expect(message).toMatch(
      /checklist\[\d+\]\.when\.tail-sampler: expected the id of an input of the skill, got unknown input "tail-sampler"/,
    );
  });

  it('`when` with a value that is not a choice', async () => {
    const dir = await skillWith((d) => {
      const item = d.checklist.find((c: any) => c.id === 'error-traces-always-kept');
      item.when = { 'tail-sampling': ['errors', 'always'] };
    });
    const { message } = await failure(dir);
    expect(message).toMatch(
      /checklist\[\d+\]\.when\.tail-sampling\[1\]: expected one of the choices of "tail-sampling" \(none, errors, errors-and-slow\), got "always"/,
    );
  });

  it('`when` on a non-choice input', async () => {
    const dir = await skillWith((d) => {
      const item = d.checklist.find((c: any) => c.id === 'error-traces-always-kept');
      item.when = { 'sampling-percent': ['10'] };
    });
    const { message } = await failure(dir);
    expect(message).toContain('expected a choice or multi-choice input, but "sampling-percent" is a number input');
  });

  it('an input condition on an answer asked later', async () => {
    const dir = await skillWith((d) => {
      d.steps[0].inputs[1].when = { 'tail-sampling': ['errors'] };
    });
    const { message } = await failure(dir);
    expect(message).toContain('steps[0].inputs[1].when.tail-sampling: expected the id of an input asked earlier');
  });

  it('duplicate input id', async () => {
    const dir = await skillWith((d) => {
      d.steps[2].inputs.push({ ...d.steps[2].inputs[0] });
    });
    const { message } = await failure(dir);
    expect(message).toContain(
      'steps[2].inputs[1].id: expected a unique input id, but "business-attributes" is also steps[2].inputs[0] (in this step)',
    );
  });

  it('choice input without choices', async () => {
    const dir = await skillWith((d) => {
      delete d.steps[0].inputs[0].choices;
      delete d.steps[0].inputs[0].default;
    });
    const { message } = await failure(dir);
    expect(message).toContain('steps[0].inputs[0].choices: expected a non-empty list of choices for a choice input');
  });

  it('default that is not one of the choices', async () => {
    const dir = await skillWith((d) => {
      d.steps[0].inputs[0].default = 'honeycomb';
    });
    const { message } = await failure(dir);
    expect(message).toContain(
      'steps[0].inputs[0].default: expected one of the choices: jaeger, tempo, zipkin, otlp-vendor, local',
    );
  });

  it('unknown key (a typo) is reported, not ignored', async () => {
    const dir = await skillWith((d) => {
      d.checklist[0].requird = true;
    });
    const { message } = await failure(dir);
    expect(message).toContain('checklist[0]: unexpected key "requird"');
  });

  it('bad origin value', async () => {
    const dir = await skillWith((d) => {
      d.checklist[0].origin = 'folklore';
    });
    const { message } = await failure(dir);
    expect(message).toContain(
      'checklist[0].origin: expected one of verification, pitfall, expected-outcome, got the string "folklore"',
    );
  });

  it('YAML syntax error reports file, line and column', async () => {
    const dir = await copyOfShipped();
    const file = path.join(dir, 'skill.yaml');
    // line 5: a second "key: value" on one line is not valid YAML
    await writeFile(file, 'id: broken\ntitle: Broken\nsteps:\n  - id: backend\n    title: a: b\n    goal: x\n');
    const { message } = await failure(dir);
    expect(message).toMatch(new RegExp(`^${escape(file)}:5:12: YAML syntax error: .+`));
    expect(message).toContain('title: a: b'); // the excerpt of the offending line
  });

  it('duplicate YAML key is a syntax error with its line', async () => {
    const dir = await copyOfShipped();
    const file = path.join(dir, 'skill.yaml');
    await writeFile(file, 'id: a\ntitle: A\nid: b\n');
    const { message } = await failure(dir);
    expect(message).toContain(`${file}:3:1: YAML syntax error:`);
  });

  it('missing reference page', async () => {
    const dir = await copyOfShipped();
    await rm(path.join(dir, 'steps', '4-propagation.md'));
    const { message } = await failure(dir);
    expect(message).toMatch(
      /steps\[3\]\.reference: expected an existing reference page, but .*4-propagation\.md does not exist/,
    );
  });

  it('empty reference page', async () => {
    const dir = await copyOfShipped();
    await writeFile(path.join(dir, 'steps', '6-correlation.md'), '  \n');
    const { message } = await failure(dir);
    expect(message).toMatch(/steps\[5\]\.reference: expected a non-empty reference page/);
  });

  it('reference page outside the skill folder', async () => {
    const dir = await skillWith((d) => {
      d.steps[0].reference = '../../etc/passwd.md';
    });
    const { message } = await failure(dir);
    expect(message).toContain('steps[0].reference: expected a path inside the skill folder');
  });

  it('missing skill.yaml', async () => {
    const dir = await copyOfShipped();
    await rm(path.join(dir, 'skill.yaml'));
    const { message } = await failure(dir);
    expect(message).toContain(`${path.join(dir, 'skill.yaml')}: expected a skill file, but it does not exist`);
  });

  it('wrong number of steps', async () => {
    const dir = await skillWith((d) => {
      d.steps.pop();
    });
    const { message } = await failure(dir);
    expect(message).toContain('steps: expected exactly 6 items');
  });

  it('STEP_ORDER is the six ids', () => {
    expect(STEP_ORDER).toEqual([
      'backend',
      'auto-instrumentation',
      'manual-spans',
      'propagation',
      'sampling',
      'correlation',
    ]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
