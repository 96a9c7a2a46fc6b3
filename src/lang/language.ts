/**
 * What the core asks of a language. Each language folder (src/lang/<language>/) implements these and registers them in
 * src/lang/scanners.ts (what the scan needs; kept light, so a scan loads no recipes) and src/lang/recipes.ts (what the
 * planner needs). The scan, the planner and the doctor call a language only through these interfaces; languages do not
 * import each other (src/architecture/rules.ts).
 */
import type { Dependency } from '../repo/manifests/dependency.js';
import type { Evidence, Service } from '../types/scan.js';
import type { PortHit } from '../repo/detect/matcher.js';
import type { Decision, ServiceInput } from '../repo/detect/service-input.js';
import type { CommandAgent, LanguageTable } from '../repo/detect/types.js';

/** The scan's view of one candidate service, given to its language's scanner. */
export interface ServiceFiles {
  /** Repo-relative service folder ('.' for the root). */
  root: string;
  /** The service's manifests, by kind (package.json, go.mod, pyproject.toml, pom.xml, manage.py …). */
  manifests: ReadonlyArray<{ kind: string; file: string }>;
  /** Whether a repo-relative path is among the listed files. */
  exists(rel: string): boolean;
  /** Reads a listed file (cached); `manifest` reports an unusable file as a scan problem. */
  read(rel: string, manifest?: boolean): Promise<string | undefined>;
  /** Reports a problem with a file (a manifest that does not parse); the scan goes on. */
  problem(file: string, message: string): void;
}

/** What a language read from a service's manifests and configs, and how it decides the rest once the sources are read. */
export interface ServiceFacts {
  /** The name the manifest gives the service. */
  name?: string;
  /** The id a service at the repo root keeps when the manifest has no name (the Go module path). */
  moduleId?: string;
  /** Declared dependencies, each with the line that declares it. */
  dependencies: Dependency[];
  /** Command lines of the language's own manifests (package.json scripts) where tracing agents may be attached. */
  commandLines: Array<{ command: string; evidence: Evidence }>;
  /** Ports written in configuration files (Spring's server.port). */
  configPorts: PortHit[];
  /** Entry point, start command and port candidates, from what the scan found in the sources. */
  decide(input: ServiceInput): Promise<Decision>;
  /** The service's name read from its code or other files, when the manifest gives none. */
  nameFromCode(entry: string | undefined): Promise<string | undefined>;
  /** Fields only this language sets on the service (Node: typescript, moduleSystem). */
  serviceFields(decision: Decision): Partial<Service>;
  /** Listed languages: the manifest line that shows what the service is (the project SDK, the package name …). */
  evidence?: Evidence;
}

export interface LanguageScanner {
  /**
   * 'listed': trace-guide lists this language's services (name, manifest, evidence, framework findings from the
   * manifest) but reads none of their sources and has no recipes for them yet; the scan marks each with `noRecipes`.
   */
  support?: 'listed';
  /** The library table: frameworks, clients, logging and tracing packages, port and entry patterns. */
  table: LanguageTable;
  /** Tracing agents recognised on a command line. */
  agents: readonly CommandAgent[];
  /** Reads the service's manifests; undefined when they say it is not a service (a package.json with nothing to run). */
  readManifests(files: ServiceFiles): Promise<ServiceFacts | undefined>;
}
