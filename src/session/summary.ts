import type { Skill, StepId } from '../skill/schema.js';
import type { Drift } from './drift.js';
import { failingRequired, isFinished, stepStatus, type StepStatus } from './machine.js';
import type { Phase, Session, SkipRecord } from './schema.js';

export interface StepSummary {
  number: number;
  id: StepId;
  title: string;
  status: StepStatus;
  phase: Phase;
  /** Required checklist items not proven at the last check run. */
  failing: string[];
  skips: SkipRecord[];
}

export interface SessionSummary {
  id: string;
  repoRoot: string;
  createdAt: string;
  updatedAt: string;
  finished: boolean;
  current: { number: number; id: StepId; title: string; phase: Phase };
  steps: StepSummary[];
  drift: Drift[];
}

/** What `status`, the resume offer and the step rail show: derived from the session, never stored. */
export function summarizeSession(session: Session, skill: Skill, drift: Drift[]): SessionSummary {
  const title = (id: StepId) => skill.steps.find((step) => step.id === id)?.title ?? id;
  const steps = session.steps.map((step, index) => ({
    number: index + 1,
    id: step.id,
    title: title(step.id),
    status: stepStatus(session, index),
    phase: step.phase,
    failing: step.checkRuns > 0 ? failingRequired(step) : [],
    skips: step.skips,
  }));
  const current = session.steps[session.current]!;
  return {
    id: session.id,
    repoRoot: session.repoRoot,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    finished: isFinished(session),
    current: { number: session.current + 1, id: current.id, title: title(current.id), phase: current.phase },
    steps,
    drift,
  };
}
