/**
 * The files static checks read: every listed file of the repo (the scan's own listing rules: .gitignore, no
 * node_modules / virtualenvs / vendor), the source files of a service, and YAML files parsed with positions.
 * Listings and parsed sources are cached per check context, so 15 checks do not walk the repo 15 times.
 */
import { listFiles } from '../repo/files.js';
import { isReadSource, languageOfFile } from '../repo/source-files.js';
import type { Service } from '../types/scan.js';
import type { SourceContext } from './source-context.js';
import { sourceFile, type Lang, type SourceFile } from './code.js';

const MAX_BYTES = 512 * 1024;

interface Cache {
  files?: Promise<string[]>;
  texts: Map<string, Promise<string | undefined>>;
  sources: Map<string, Promise<SourceFile[]>>;
}
const caches = new WeakMap<object, Cache>();

function cacheOf(ctx: Pick<SourceContext, 'repo'>): Cache {
  let c = caches.get(ctx.repo);
  if (!c) {
    c = { texts: new Map(), sources: new Map() };
    caches.set(ctx.repo, c);
  }
  return c;
}

/** Every listed file of the repo, repo-relative POSIX paths. */
export function repoFiles(ctx: Pick<SourceContext, 'root' | 'repo'>): Promise<string[]> {
  const c = cacheOf(ctx);
  c.files ??= listFiles(ctx.root).then((l) => l.files);
  return c.files;
}

export function readText(ctx: Pick<SourceContext, 'repo'>, rel: string): Promise<string | undefined> {
  const c = cacheOf(ctx);
  let p = c.texts.get(rel);
  if (!p) {
    p = ctx.repo.read(rel).then((t) => (t !== undefined && t.length <= MAX_BYTES ? t : undefined));
    c.texts.set(rel, p);
  }
  return p;
}

export function inServiceRoot(service: Pick<Service, 'root'>, rel: string): string | undefined {
  if (service.root === '.' || service.root === '') return rel;
  return rel.startsWith(service.root + '/') ? rel.slice(service.root.length + 1) : undefined;
}

/** The service's own source files in its language (tests, fixtures and examples left out, as the scan does). */
export function serviceSources(
  ctx: Pick<SourceContext, 'root' | 'repo' | 'services'>,
  service: Service,
): Promise<SourceFile[]> {
  const c = cacheOf(ctx);
  let p = c.sources.get(service.id);
  if (!p) {
    p = (async () => {
      const lang = service.language as Lang;
      if (lang !== 'node' && lang !== 'python' && lang !== 'go') return [];
      // A nested service's files belong to it, not to the service around it.
      const nested = ctx.services.filter(
        (s) => s.id !== service.id && s.root !== '.' && (service.root === '.' || s.root.startsWith(service.root + '/')),
      );
      const out: SourceFile[] = [];
      for (const rel of await repoFiles(ctx)) {
        const inside = inServiceRoot(service, rel);
        if (inside === undefined || languageOfFile(rel) !== lang || !isReadSource(lang, inside)) continue;
        if (nested.some((s) => rel.startsWith(s.root + '/'))) continue;
        const text = await readText(ctx, rel);
        if (text !== undefined) out.push(sourceFile(rel, lang, text));
      }
      return out;
    })();
    c.sources.set(service.id, p);
  }
  return p;
}

/** Services in the languages the static checks read. */
export function checkedServices(ctx: Pick<SourceContext, 'services'>): Service[] {
  return ctx.services.filter((s) => s.language === 'node' || s.language === 'python' || s.language === 'go');
}
