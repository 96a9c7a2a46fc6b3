import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FileReader } from '../repo/read.js';
import type { ScanResult, Service } from '../repo/scan-schema.js';
import type { Skill } from '../skill/schema.js';
import { answerOf } from '../skill/lookup.js';
import type { InputValue } from '../session/schema.js';
import { Templates } from './templates.js';
import { ToolLookup } from './tools.js';

/**
 * Read-only view of the repo for recipes, checks and the doctor: repo-relative POSIX paths; every read goes through the
 * safe reader (real path inside the repo, regular files only, size cap), so nothing outside the root is readable.
 */
export class RepoReader {
  private readonly reader: FileReader;
  constructor(readonly root: string) {
    this.reader = new FileReader(root);
  }

  abs(rel: string): string {
    const abs = path.resolve(this.root, ...rel.split('/'));
    if (abs !== this.root && !abs.startsWith(this.root + path.sep)) throw new Error(`path "${rel}" is outside the repo`);
    return abs;
  }

  /** The file's text, or undefined when it does not exist, is not a regular file inside the repo, or is over the cap. */
  async read(rel: string): Promise<string | undefined> {
    const outcome = this.reader.read(rel);
    return outcome.ok ? outcome.text : undefined;
  }

  async exists(rel: string): Promise<boolean> {
    try {
      await stat(this.abs(rel));
      return true;
    } catch {
      return false;
    }
  }
}

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
  /** The services the user chose to instrument (the `services` input), or all scanned services. */
  services: Service[];
}

export function createPlanContext(options: {
  root: string;
  skill: Skill;
  scan: ScanResult;
  inputs: Record<string, InputValue>;
  tools?: ToolLookup;
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
    services,
  };
}

/** The answer to an input, or its default from the skill. */
export function answer(ctx: PlanContext, id: string): unknown {
  return answerOf(ctx.skill, id, ctx.inputs);
}
