import { z } from 'zod';

/** Where a finding was seen: a path relative to the repo root (POSIX separators) and a 1-based line. */
export const EvidenceSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  text: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** One named thing found in a service (a framework, a client library, a logger...), with where it was seen. */
export const FindingSchema = z.object({
  name: z.string(),
  evidence: EvidenceSchema,
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * Node, Python, Go and Java have scanners that read sources and recipes; the others are listed: the scan finds their
 * services by their manifests and says so (`noRecipes`), with what the user can do instead (src/lang/listed-scanner.ts).
 */
export const LanguageSchema = z.enum([
  'node',
  'python',
  'go',
  'java',
  'dotnet',
  'ruby',
  'php',
  'rust',
  'kotlin',
  'scala',
  'elixir',
]);
export type Language = z.infer<typeof LanguageSchema>;

export const ServiceSchema = z.object({
  /** Unique within the scan; the service root, or its name when the root is the repo itself. */
  id: z.string(),
  /** Package / module / project name when the manifest gives one, else the folder name. */
  name: z.string(),
  /** Folder of the service relative to the repo root ('.' for the root). */
  root: z.string(),
  language: LanguageSchema,
  /** Node only: TypeScript sources, and the module system the runtime code uses. */
  typescript: z.boolean().optional(),
  moduleSystem: z.enum(['commonjs', 'esm']).optional(),
  /** The manifest the service was found by (package.json, go.mod, pyproject.toml, pom.xml...). */
  manifest: z.string(),
  frameworks: z.array(FindingSchema),
  entrypoint: z.object({ file: z.string(), evidence: EvidenceSchema }).optional(),
  start: z
    .object({
      command: z.string(),
      /** Where the command comes from; 'node' = derived from the file that listens (no start script). */
      source: z.enum([
        'package.json',
        'Procfile',
        'Dockerfile',
        'go',
        'python',
        'maven',
        'gradle',
        'manage.py',
        'node',
      ]),
      evidence: EvidenceSchema,
      /** Why a derived command differs from the plain way of starting the app (Django's runserver gets --noreload). */
      why: z.string().optional(),
    })
    .optional(),
  port: z
    .object({
      value: z.number().int().min(1).max(65535),
      evidence: EvidenceSchema,
      /**
       * Set when no port is written anywhere and the value is what the framework or server listens on by default
       * (flask run 5000, uvicorn / gunicorn / runserver 8000, Gin's Run() and Spring Boot 8080): says which default.
       */
      frameworkDefault: z.string().optional(),
      /** With a default: the environment variable that moves it, so the runtime run can give the server a free port. */
      defaultVariable: z.string().optional(),
      /** With a default that no variable moves: the argument appended to the start command that does (`{port}` = the port). */
      defaultArgument: z.string().optional(),
    })
    .optional(),
  httpClients: z.array(FindingSchema),
  queueClients: z.array(FindingSchema),
  dbClients: z.array(FindingSchema),
  logging: z.array(FindingSchema),
  /** Tracing already present: opentelemetry, opentracing, jaeger-client, zipkin, vendor agents (dd-trace, newrelic, ...). */
  tracing: z.array(FindingSchema),
  /**
   * Set when trace-guide lists the service but has no recipes for its language yet: the manifest line that shows what
   * the service is, and what the user can do instead — the language's own OpenTelemetry option, from the skill's data
   * (skills/instrument-distributed-tracing/listed-languages.yaml).
   */
  noRecipes: z
    .object({
      evidence: EvidenceSchema,
      /** The language as people name it (C#/.NET, Ruby …). */
      label: z.string(),
      /** The language's own OpenTelemetry option (its zero-code agent, or the SDK set-up when it has none). */
      option: z.string(),
      /** Whether that option needs no change to the code. */
      zeroCode: z.boolean(),
      /** The packages it takes, as the language's package manager names them. */
      packages: z.array(z.string()),
      /** What to do, in a sentence or two. */
      how: z.string(),
      /** Where the option is documented. */
      docs: z.string(),
    })
    .optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

/** Something the scan could not read or understand; it does not stop the scan. */
export const ScanProblemSchema = z.object({
  file: z.string(),
  message: z.string(),
});
export type ScanProblem = z.infer<typeof ScanProblemSchema>;

export const ScanResultSchema = z.object({
  /** Absolute path of the scanned repo. */
  root: z.string(),
  /** Files considered (after ignore rules). */
  fileCount: z.number().int().nonnegative(),
  /** Whether the file list came from the git index (true) or a directory walk (false). */
  usedGit: z.boolean(),
  services: z.array(ServiceSchema),
  problems: z.array(ScanProblemSchema),
  durationMs: z.number().nonnegative(),
});
export type ScanResult = z.infer<typeof ScanResultSchema>;
