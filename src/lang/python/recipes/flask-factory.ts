/**
 * Flask apps built by a factory (`def create_app(): app = Flask(__name__) … return app`, started with
 * `flask --app pkg run` or `gunicorn 'pkg:create_app()'`) have no top-level app object to instrument. The set-up is
 * imported at the top of the module that defines the factory instead (the package's __init__.py for `flask --app pkg`),
 * before its own imports: FlaskInstrumentor().instrument() replaces flask.Flask, so every app the factory builds
 * afterwards is instrumented — as long as the module reads `Flask` from flask after that line, which is why it goes
 * first.
 */
import { pythonFunctions } from './python-source.js';

export interface FlaskFactory {
  /** The factory function's name. */
  name: string;
  /** Where the set-up lines go: after the module docstring, leading comments and `from __future__` imports. */
  insertAt: number;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** Offset after the module docstring, comment lines and `from __future__ import …` lines at the top; undefined when unreadable. */
export function topOfModule(text: string): number | undefined {
  let at = 0;
  const doc = /^(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*[rRuU]?("""|''')/.exec(text);
  if (doc) {
    const close = text.indexOf(doc[1]!, doc.index + doc[0].length);
    if (close === -1) return undefined;
    at = lineEnd(text, close + 3);
  }
  let after = at;
  while (at < text.length) {
    const end = lineEnd(text, at);
    const line = text.slice(at, end);
    if (line.trim() === '') {
      at = end;
      continue;
    }
    if (line.trimStart().startsWith('#')) {
      // Leading comments (a shebang, an encoding line, a licence header) stay first.
      at = end;
      after = end;
      continue;
    }
    if (/^from\s+__future__\s+import\b/.test(line)) {
      // A parenthesised __future__ import over several lines is not read: give up rather than split it.
      if (line.includes('(') && !line.includes(')')) return undefined;
      at = end;
      after = end;
      continue;
    }
    break;
  }
  return after;
}

/** The top-level factory in `text` that builds a Flask app (a def whose body calls Flask(…)), if exactly one does. */
export function flaskFactory(text: string): FlaskFactory | undefined {
  const builders = pythonFunctions(text).filter(
    (f) => f.indent === '' && /\bFlask\s*\(/.test(text.slice(f.bodyStart, f.bodyEnd)),
  );
  if (builders.length !== 1) return undefined;
  const insertAt = topOfModule(text);
  return insertAt === undefined ? undefined : { name: builders[0]!.name, insertAt };
}
