/**
 * The shape of the library tables (one file per language: node-libraries.ts, python-libraries.ts, go-libraries.ts,
 * java-libraries.ts). Adding a library is adding a row; the matching code never names a library.
 */
import type { Language } from '../../types/scan.js';

/** Which list of the Service a finding goes to. */
export type Category = 'framework' | 'http' | 'queue' | 'db' | 'logging' | 'tracing';

export interface LibraryRule {
  /** Canonical, lower-case finding name ('express', 'kafkajs', 'opentelemetry'...). Several rows may share a name. */
  name: string;
  category: Category;
  /**
   * Manifest dependency names. Node: npm names; Python: PyPI names (lower-case, '_' and '.' read as '-');
   * Go: module paths; Java: 'groupId:artifactId'. A trailing '*' makes a prefix ('@opentelemetry/*', 'org.slf4j:*').
   * Node and Go names also match longer paths segment-wise ('github.com/labstack/echo' matches '.../echo/v4').
   */
  packages?: readonly string[];
  /**
   * Import specifiers that mean the library is used: matched on whole segments ('/' for Node and Go, '.' for Python and
   * Java), so 'express' matches 'express' and 'express/lib/router', and 'django.db' matches 'django.db.models'.
   * The longest listed prefix wins.
   */
  imports?: readonly string[];
  /**
   * Usage in source, for built-ins that need no import (global fetch, console) or that need a call to tell them apart
   * (Go net/http as a server or as a client). `hint` is a plain substring that must be present before the regex runs.
   * With `imports` also set, the file must import one of them too. Evidence is the usage line.
   */
  usage?: { hint: string; pattern: RegExp };
  /** Usage rows only: skip the file when it imports one of these (global fetch vs an imported node-fetch). */
  unlessImported?: readonly string[];
}

/** A pattern that gives a listening port (group 1) in source or config; lower rank wins. */
export interface PortPattern {
  hint: string;
  pattern: RegExp;
  rank: number;
}

/**
 * A line that marks a file as a place a server or program starts (listen call, main function, app object). The
 * language logic (detect/<language>.ts) weighs the kinds when it picks the entrypoint.
 */
export interface EntryMarker {
  kind: string;
  hint: string;
  pattern: RegExp;
}

/** Agents started from the command line (`node -r dd-trace/init`, `opentelemetry-instrument`, `-javaagent:`). */
export interface CommandAgent {
  name: string;
  pattern: RegExp;
}

export interface LanguageTable {
  language: Language;
  /** Separator of import specifier segments. */
  importSeparator: '/' | '.';
  rules: readonly LibraryRule[];
  ports: readonly PortPattern[];
  entryMarkers: readonly EntryMarker[];
}
