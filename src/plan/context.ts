import path from 'node:path';
import { RepoReader } from '../repo/repo-reader.js';
import type { ScanResult, Service } from '../types/scan.js';
import type { Skill } from '../skill/schema.js';
import { answerOf } from '../skill/lookup.js';
import type { InputValue } from '../session/schema.js';
import { Templates } from './templates.js';
import { ToolLookup } from './tool-lookup.js';
import { MachineNode } from '../lang/node/machine-node.js';

/** Joins a service root and a path inside it, as a repo-relative POSIX path. */
export function inService(service: Pick<Service, 'root'>, rel: string): string {
  return service.root === '.' || service.root === '' ? rel : path.posix.join(service.root, rel);
}

/** Everything a recipe may look at. Recipes read; they never write. */
export interface PlanContext {
  root: string;
  skill: Skill;
  scan: ScanResult;
  inputs: Record<string, InputValue>;
  repo: RepoReader;
  templates: Templates;
  tools: ToolLookup;
  /** This machine's Node version, for a Node service whose files name none (tests pass a fixed one). */
  machineNode: Pick<MachineNode, 'version'>;
  /** The services the user chose to instrument (the `services` input), or all scanned services. */
  services: Service[];
}

export function createPlanContext(options: {
  root: string;
  skill: Skill;
  scan: ScanResult;
  inputs: Record<string, InputValue>;
  tools?: ToolLookup;
  machineNode?: Pick<MachineNode, 'version'>;
}): PlanContext {
  const chosen = options.inputs.services;
  const services = Array.isArray(chosen)
    ? options.scan.services.filter((s) => chosen.includes(s.id) || chosen.includes(s.name))
    : options.scan.services;
  return {
    root: options.root,
    skill: options.skill,
    scan: options.scan,
    inputs: options.inputs,
    repo: new RepoReader(options.root),
    templates: new Templates(path.join(options.skill.dir, 'templates')),
    tools: options.tools ?? new ToolLookup(),
    machineNode: options.machineNode ?? new MachineNode(),
    services,
  };
}

/** The answer to an input, or its default from the skill. */
export function answer(ctx: PlanContext, id: string): unknown {
  return answerOf(ctx.skill, id, ctx.inputs);
}
