import type { Service } from '../types/scan.js';
import type { StepId } from '../skill/schema.js';
import type { PlanContext } from './context.js';
import type { Proposal } from '../types/proposal.js';

/**
 * One unit of planning knowledge: a step × a stack (e.g. auto-instrumentation × Express). A `service` recipe runs once for
 * every chosen service it applies to; a `repo` recipe runs once for the whole repo. A recipe only reads (through the
 * context) and returns proposals; it must return nothing for work that is already done (idempotent re-planning).
 */
export type Recipe =
  | {
      id: string;
      step: StepId;
      scope: 'service';
      appliesTo(service: Service, ctx: PlanContext): boolean;
      plan(ctx: PlanContext, service: Service): Promise<Proposal[]>;
      /** Why the recipe proposes nothing for this service (what it looked for and did not find), said to the user. */
      whyNothing?(ctx: PlanContext, service: Service): Promise<string | undefined>;
    }
  | {
      id: string;
      step: StepId;
      scope: 'repo';
      appliesTo(ctx: PlanContext): boolean;
      plan(ctx: PlanContext): Promise<Proposal[]>;
    };
