/**
 * Spring MVC / WebFlux GET routes: @GetMapping("/x"), @GetMapping(value = "/x") / (path = "/x"), a bare @GetMapping, and
 * @RequestMapping(… method = RequestMethod.GET) on methods, each under the class's own @RequestMapping("/prefix").
 * Paths are returned whole (the class prefix joined), with Spring's {id} parameters as written.
 */
export interface SpringRoute {
  pattern: string;
  line: number;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The first path in an annotation's arguments: "x", value = "x", path = "x", or {"x", …}; '' for none. */
function firstPath(args: string | undefined): string {
  if (!args) return '';
  const named = /\b(?:value|path)\s*=\s*\{?\s*"([^"]*)"/.exec(args);
  if (named) return named[1]!;
  const plain = /^\s*\{?\s*"([^"]*)"/.exec(args);
  return plain ? plain[1]! : '';
}

function join(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

export function springGetRoutes(text: string): SpringRoute[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (c) => ' '.repeat(c.length));
  const classAt = /\b(?:class|record|interface)\s+\w+/.exec(code)?.index ?? code.length;
  const classMapping = /@RequestMapping\s*(?:\(([^)]*)\))?/.exec(code.slice(0, classAt));
  const prefix = classMapping ? firstPath(classMapping[1]) : '';
  const routes: SpringRoute[] = [];
  for (const m of code.matchAll(/@(GetMapping|RequestMapping)\b\s*(?:\(([^)]*)\))?/g)) {
    if (m.index < classAt) continue;
    if (m[1] === 'RequestMapping' && !/RequestMethod\.GET\b/.test(m[2] ?? '')) continue;
    routes.push({ pattern: join(prefix, firstPath(m[2])), line: lineOf(text, m.index) });
  }
  return routes;
}
