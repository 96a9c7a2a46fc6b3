/**
 * Ports a server listens on when nothing says otherwise. Used only when no port is written in the code, the config or
 * the start command; the finding is marked `frameworkDefault` so a user sees it is a default, not something read.
 * Express and plain Node have no default (a port must be read), so there is no row for them.
 */
import type { PortHit } from './matcher.js';
import type { Evidence } from '../../types/scan.js';

/** Rank of a default: below every port that is written somewhere (Dockerfile EXPOSE is 9). */
export const DEFAULT_PORT_RANK = 10;

interface CommandDefault {
  pattern: RegExp;
  value: number;
  why: string;
  /** The environment variable that moves the default (so a run can give the server a free port), if there is one. */
  variable?: string;
  /** Else the argument that moves it, appended to the command (`{port}` stands for the port). */
  argument?: string;
}

/** Start commands whose server has a documented default port. The first matching row wins. */
const COMMAND_DEFAULTS: readonly CommandDefault[] = [
  {
    pattern: /\bflask\b[^\n]*\brun\b/,
    value: 5000,
    why: 'flask run listens on 5000 unless --port or FLASK_RUN_PORT says otherwise',
    variable: 'FLASK_RUN_PORT',
  },
  {
    pattern: /\bmanage\.py\s+runserver\b/,
    value: 8000,
    why: 'Django runserver listens on 8000 unless an address is given',
    argument: '127.0.0.1:{port}',
  },
  { pattern: /\bfastapi\s+(?:run|dev)\b/, value: 8000, why: 'fastapi run/dev listens on 8000 unless --port is given' },
  {
    pattern: /\buvicorn\b/,
    value: 8000,
    why: 'uvicorn listens on 8000 unless --port or UVICORN_PORT is given',
    variable: 'UVICORN_PORT',
  },
  {
    pattern: /\bgunicorn\b/,
    value: 8000,
    why: 'gunicorn binds 127.0.0.1:8000 unless --bind (or PORT) is given',
    variable: 'PORT',
  },
  { pattern: /\bhypercorn\b/, value: 8000, why: 'hypercorn binds 127.0.0.1:8000 unless --bind is given' },
  {
    pattern: /(?:spring-boot:run|\bbootRun\b)/,
    value: 8080,
    why: 'Spring Boot listens on 8080 unless server.port (SERVER_PORT) is set',
    variable: 'SERVER_PORT',
  },
];

/** The default port of the server a start command runs, if it has one. */
export function defaultPortOfCommand(command: string, evidence: Evidence): PortHit | undefined {
  const row = COMMAND_DEFAULTS.find((d) => d.pattern.test(command));
  return (
    row && {
      value: row.value,
      rank: DEFAULT_PORT_RANK,
      evidence,
      frameworkDefault: row.why,
      ...(row.variable ? { defaultVariable: row.variable } : {}),
      ...(row.argument ? { defaultArgument: row.argument } : {}),
    }
  );
}

/** A default that code states by calling a runner without a port (Flask's app.run(), Gin's r.Run()...). */
export function defaultPort(value: number, why: string, evidence: Evidence, variable?: string): PortHit {
  return {
    value,
    rank: DEFAULT_PORT_RANK,
    evidence,
    frameworkDefault: why,
    ...(variable ? { defaultVariable: variable } : {}),
  };
}
