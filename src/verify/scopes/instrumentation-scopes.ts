/**
 * Which instrumentation scopes belong to instrumentation libraries rather than to the application. A span's scope is
 * the name its tracer was created with (the receiver keeps it as `span.scope.name`); instrumentation libraries name
 * their tracers after themselves, so their spans — the express instrumentation's middleware spans, the Flask and
 * otelhttp request spans — are recognised here. Every other scope is the application's own tracer: its spans are the
 * "custom spans" of step 3.
 *
 * Data, not scattered regexes: add a row when a new instrumentation family appears.
 */
export interface InstrumentationScopeFamily {
  /** Where the family comes from, for people reading this table. */
  label: string;
  /** A scope name that starts with one of these prefixes is this family's (compared case-sensitively). */
  prefixes: readonly string[];
  /** Whole scope names of this family. */
  exact?: readonly string[];
}

export const INSTRUMENTATION_SCOPE_FAMILIES: readonly InstrumentationScopeFamily[] = [
  {
    label: 'OpenTelemetry JS instrumentations (contrib and core)',
    prefixes: ['@opentelemetry/instrumentation', '@opentelemetry/auto-instrumentations-'],
  },
  {
    label: 'community Node instrumentations',
    prefixes: ['opentelemetry-instrumentation-', '@prisma/instrumentation', '@fastify/otel'],
  },
  { label: 'OpenTelemetry Python instrumentations', prefixes: ['opentelemetry.instrumentation.'] },
  { label: 'OpenTelemetry Go contrib instrumentations', prefixes: ['go.opentelemetry.io/contrib/instrumentation/'] },
  { label: 'OpenTelemetry Java agent instrumentations', prefixes: ['io.opentelemetry.'] },
  {
    label: 'OpenTelemetry .NET instrumentations',
    prefixes: ['OpenTelemetry.Instrumentation.'],
    exact: ['Microsoft.AspNetCore', 'System.Net.Http'],
  },
  {
    label: 'the OpenTelemetry SDKs themselves (a tracer created without a name gets the SDK default)',
    prefixes: ['go.opentelemetry.io/otel'],
    exact: ['opentelemetry.sdk', 'opentelemetry.sdk.trace'],
  },
];

/** The family an instrumentation scope belongs to, or undefined when the scope is not an instrumentation library's. */
export function instrumentationFamilyOf(scopeName: string): InstrumentationScopeFamily | undefined {
  return INSTRUMENTATION_SCOPE_FAMILIES.find(
    (family) =>
      family.exact?.includes(scopeName) === true || family.prefixes.some((prefix) => scopeName.startsWith(prefix)),
  );
}

/**
 * True when a span with this scope comes from the application's own tracer. `appScopes` are the tracer names the
 * application's code (or the set-up trace-guide wrote) creates; any other named scope that is not an instrumentation
 * library's counts too. A span without a scope name cannot be attributed, so it is not counted as custom.
 */
export function isApplicationScope(scopeName: string | undefined, appScopes: ReadonlySet<string> = new Set()): boolean {
  if (scopeName === undefined || scopeName.trim() === '') return false;
  if (appScopes.has(scopeName)) return true;
  return instrumentationFamilyOf(scopeName) === undefined;
}
