/**
 * Where a route object is mounted, so a route registered on it is probed at its full path: Flask blueprints
 * (`Blueprint(..., url_prefix=)`, `register_blueprint(bp, url_prefix=)`), FastAPI routers (`APIRouter(prefix=)`,
 * `include_router(router, prefix=)`), Express routers (`app.use('/x', router)`, the router in another file by require or
 * import), Gin / Echo groups (`v1 := r.Group("/v1")`) and Django `include()`. Read from the source text, no execution.
 *
 * The model: a route object is (file, variable). It may have a prefix of its own (a blueprint's url_prefix, a router's
 * prefix, a group's path under its parent group) and be mounted by a parent object with a mount prefix. Its full prefix
 * is the parent's full prefix + the mount prefix + its own prefix — except a Flask registration's url_prefix, which
 * replaces the blueprint's own.
 */
import path from 'node:path';
import type { Service } from '../../types/scan.js';
import type { SourceFile } from './service-sources.js';

interface Owner {
  file: string;
  /** The variable in that file; undefined for "any route object of the file" (a module imported as a whole). */
  name?: string;
}

interface OwnPrefix {
  prefix: string;
  /** A group under another route object of the same file (Gin / Echo `v1.Group("/admin")`). */
  parent?: string;
}

interface Mount {
  /** The mounting object (app, parent router); undefined for a file-level list (Django urlpatterns). */
  parent: Owner;
  prefix: string;
  child: Owner;
  /** Flask: a url_prefix given at registration replaces the blueprint's own. */
  replacesOwn: boolean;
}

export interface PrefixModel {
  /** The full prefix of the route object `name` of `file` ('' when it is mounted nowhere and has none of its own). */
  prefixOf(file: string, name: string | undefined): string;
}

/** Joins two path parts with exactly one slash between them (either may be empty). */
export function joinPath(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  if (a.endsWith('/') && b.startsWith('/')) return a + b.slice(1);
  if (!a.endsWith('/') && !b.startsWith('/')) return `${a}/${b}`;
  return a + b;
}

const key = (file: string, name: string) => `${file}\0${name}`;

function keywordString(args: string, keyword: string): string | undefined {
  return new RegExp(`\\b${keyword}\\s*=\\s*(['"])([^'"]*)\\1`).exec(args)?.[2];
}

// ---- module resolution ------------------------------------------------------------------------------------------

function nodeModuleFile(files: ReadonlySet<string>, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
  const exts = ['.js', '.ts', '.mjs', '.mts', '.cjs', '.cts'];
  const candidates = [base, ...exts.map((e) => stem + e), ...exts.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => files.has(c));
}

function pythonModuleFile(files: ReadonlySet<string>, from: string, spec: string): string | undefined {
  const dots = /^\.*/.exec(spec)![0].length;
  const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
  if (dots > 0) {
    let dir = path.posix.dirname(from);
    for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    const p = rest === '' ? dir : path.posix.join(dir, rest);
    return [`${p}.py`, `${p}/__init__.py`].find((c) => files.has(c));
  }
  if (rest === '') return undefined;
  for (const suffix of [`${rest}.py`, `${rest}/__init__.py`]) {
    const found = [...files].find((f) => f === suffix || f.endsWith(`/${suffix}`));
    if (found) return found;
  }
  return undefined;
}

// ---- per-language readers -----------------------------------------------------------------------------------------

interface Collected {
  own: Map<string, OwnPrefix>;
  mounts: Mount[];
}

/** Python: names a file imports, local name → module spec and member. */
function pythonImports(text: string): Map<string, { module: string; member?: string }> {
  const out = new Map<string, { module: string; member?: string }>();
  for (const m of text.matchAll(/^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]*(?:\(([^)]*)\)|([\w \t,]+))/gm)) {
    for (const part of (m[2] ?? m[3]!).split(',')) {
      const [member, alias] = part.trim().split(/\s+as\s+/);
      if (member) out.set(alias ?? member, { module: m[1]!, member });
    }
  }
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?/gm)) {
    out.set(m[2] ?? m[1]!.split('.')[0]!, { module: m[2] ? m[1]! : m[1]!.split('.')[0]! });
  }
  return out;
}

/** What a Python expression naming a route object (`bp`, `auth.bp`, `items.router`) refers to. */
function pythonOwner(
  files: ReadonlySet<string>,
  file: SourceFile,
  expr: string,
  defined: (name: string) => boolean,
): Owner | undefined {
  const parts = expr.split('.');
  const imports = pythonImports(file.text);
  if (parts.length === 1) {
    const name = parts[0]!;
    if (defined(name)) return { file: file.rel, name };
    const imp = imports.get(name);
    if (!imp?.member) return undefined;
    const moduleFile = pythonModuleFile(files, file.rel, imp.module);
    return moduleFile ? { file: moduleFile, name: imp.member } : undefined;
  }
  const [alias, ...restParts] = parts;
  const name = restParts.pop()!;
  const imp = imports.get(alias!);
  if (!imp) return undefined;
  const moduleSpec = [imp.member ? joinModule(imp.module, imp.member) : imp.module, ...restParts].reduce((a, b) =>
    joinModule(a, b),
  );
  const moduleFile = pythonModuleFile(files, file.rel, moduleSpec);
  return moduleFile ? { file: moduleFile, name } : undefined;
}

function joinModule(a: string, b: string): string {
  return a.endsWith('.') ? a + b : `${a}.${b}`;
}

function readPython(files: ReadonlySet<string>, sources: readonly SourceFile[], out: Collected): void {
  for (const file of sources) {
    const text = file.text;
    const locals = new Set<string>();
    for (const m of text.matchAll(
      /^[ \t]*(\w+)[ \t]*=[ \t]*(?:flask\.)?(Blueprint|APIRouter|Flask|FastAPI)\(([^)]*)\)/gm,
    )) {
      locals.add(m[1]!);
      const own =
        m[2] === 'Blueprint'
          ? keywordString(m[3]!, 'url_prefix')
          : m[2] === 'APIRouter'
            ? keywordString(m[3]!, 'prefix')
            : undefined;
      if (own) out.own.set(key(file.rel, m[1]!), { prefix: own });
    }
    for (const m of text.matchAll(/\b([\w.]+)\.(register_blueprint|include_router)\(\s*([\w.]+)\s*(?:,([^)]*))?\)/g)) {
      const child = pythonOwner(files, file, m[3]!, (n) => locals.has(n));
      if (!child) continue;
      const flask = m[2] === 'register_blueprint';
      const prefix = keywordString(m[4] ?? '', flask ? 'url_prefix' : 'prefix');
      const parentName = m[1]!.split('.').pop()!;
      out.mounts.push({
        parent: { file: file.rel, name: parentName },
        prefix: prefix ?? '',
        child,
        replacesOwn: flask && prefix !== undefined,
      });
    }
    if (/(^|\/)urls\.py$/.test(file.rel)) {
      for (const m of text.matchAll(/\b(?:re_)?path\(\s*r?(['"])([^'"]*)\1\s*,\s*include\(\s*(['"])([\w.]+)\3/g)) {
        const child = pythonModuleFile(files, file.rel, m[4]!);
        if (child)
          out.mounts.push({
            parent: { file: file.rel },
            prefix: m[2]!.replace(/^\^|\$$/g, ''),
            child: { file: child },
            replacesOwn: false,
          });
      }
    }
  }
}

function readNode(files: ReadonlySet<string>, sources: readonly SourceFile[], out: Collected): void {
  for (const file of sources) {
    const text = file.text;
    const routers = new Set<string>();
    for (const m of text.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*=\s*(?:new\s+)?(?:express\s*\.\s*)?Router\s*\(/g))
      routers.add(m[1]!);
    for (const m of text.matchAll(/\bexport\s+const\s+([\w$]+)\s*=\s*(?:new\s+)?(?:express\s*\.\s*)?Router\s*\(/g))
      routers.add(m[1]!);
    // Imported route modules: local name → the file and the exported name (undefined for a default export).
    const imported = new Map<string, Owner>();
    const addImport = (local: string, spec: string, exported?: string) => {
      const target = nodeModuleFile(files, file.rel, spec);
      if (target) imported.set(local, exported === undefined ? { file: target } : { file: target, name: exported });
    };
    for (const m of text.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*=\s*require\(\s*(['"])([^'"]+)\2\s*\)/g))
      addImport(m[1]!, m[3]!);
    for (const m of text.matchAll(/\bimport\s+([\w$]+)\s*(?:,\s*\{[^}]*\}\s*)?from\s*(['"])([^'"]+)\2/g))
      addImport(m[1]!, m[3]!);
    const named = [
      ...text.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*(['"])([^'"]+)\2\s*\)/g),
      ...text.matchAll(/\bimport\s*(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2/g),
    ];
    for (const m of named) {
      for (const part of m[1]!.split(',')) {
        const [exported, local] = part.trim().split(/\s*(?:\bas\b|:)\s*/);
        if (exported) addImport(local ?? exported, m[3]!, exported);
      }
    }
    for (const m of text.matchAll(/\b([\w$]+)\s*\.\s*use\s*\(\s*(['"`])(\/[^'"`]*)\2\s*,([^;]*?)\)\s*;?\s*$/gm)) {
      const args = m[4]!;
      const required = /require\(\s*(['"])([^'"]+)\1\s*\)\s*$/.exec(args.trim());
      let child: Owner | undefined;
      if (required) {
        const target = nodeModuleFile(files, file.rel, required[2]!);
        if (target) child = { file: target };
      } else {
        const last = /([\w$]+)\s*$/.exec(args.trim())?.[1];
        if (last && routers.has(last)) child = { file: file.rel, name: last };
        else if (last) child = imported.get(last);
      }
      if (child) out.mounts.push({ parent: { file: file.rel, name: m[1]! }, prefix: m[3]!, child, replacesOwn: false });
    }
  }
}

function readGo(sources: readonly SourceFile[], out: Collected): void {
  for (const file of sources) {
    for (const m of file.text.matchAll(/\b(\w+)\s*:?=\s*(\w+)\.Group\(\s*"([^"]*)"/g)) {
      out.own.set(key(file.rel, m[1]!), { prefix: m[3]!, parent: m[2]! });
    }
  }
}

/** Reads the prefixes of a service's route objects from its sources. */
export function readPrefixes(service: Service, sources: readonly SourceFile[]): PrefixModel {
  const files = new Set(sources.map((s) => s.rel));
  const collected: Collected = { own: new Map(), mounts: [] };
  if (service.language === 'python') readPython(files, sources, collected);
  if (service.language === 'node') readNode(files, sources, collected);
  if (service.language === 'go') readGo(sources, collected);

  const prefixOf = (file: string, name: string | undefined, depth: number): string => {
    if (depth > 8) return '';
    const own = name === undefined ? undefined : collected.own.get(key(file, name));
    const ownPart = own ? (own.parent ? joinPath(prefixOf(file, own.parent, depth + 1), own.prefix) : own.prefix) : '';
    const mount = collected.mounts.find(
      (m) => m.child.file === file && (m.child.name === undefined || m.child.name === name),
    );
    if (!mount) return ownPart;
    const mountedAt = joinPath(prefixOf(mount.parent.file, mount.parent.name, depth + 1), mount.prefix);
    return mount.replacesOwn ? mountedAt : joinPath(mountedAt, ownPart);
  };
  return { prefixOf: (file, name) => prefixOf(file, name, 0) };
}
