import { dirname, posix } from 'node:path';
import ts from 'typescript';

/** One import, export-from, dynamic import() or import type of a source file under src/. */
export interface ImportSite {
  /** Path relative to src/, with forward slashes (e.g. `chat/model-answer.ts`). */
  file: string;
  line: number;
  specifier: string;
  /** True when the import brings in types only (erased at build time). */
  typeOnly: boolean;
  /** True for an `import()` call: the module loads when the call runs, not when this file loads. */
  dynamic: boolean;
}

/** A folder directly under src/ (e.g. `chat`), or `(root)` for a file directly in src/. */
export type TopFolder = string;

export interface ForbiddenImportRule {
  name: string;
  /** Top folders the rule applies to, or every top folder but the listed ones (so a new folder is covered at once). */
  from: TopFolder[] | { allExcept: TopFolder[] };
  /** Top folders under src/ that these files must not import. */
  folders?: TopFolder[];
  /** Bare module specifiers (e.g. `node:fs`) these files must not import. */
  modules?: string[];
  /** Files (relative to src/) allowed to break the rule today, each with the reason. */
  exceptions?: { file: string; specifier: string; reason: string }[];
  reason: string;
}

/** An import between two top folders that today closes a cycle between folders; listed so the list can only shrink. */
export interface KnownCycleEdge {
  from: TopFolder;
  to: TopFolder;
  /** `type-only` when every import along this edge is a type import (erased at build time). */
  kind: 'value' | 'type-only';
  reason: string;
}

/** A folder whose subfolders are plug-ins of one kind (src/lang/<language>/): none of them imports another. */
export interface IsolatedSubfoldersRule {
  name: string;
  /** Path relative to src/ (e.g. `lang`). */
  folder: string;
  reason: string;
}

export interface ArchitectureRules {
  forbidden: ForbiddenImportRule[];
  isolated?: IsolatedSubfoldersRule[];
  knownCycleEdges: KnownCycleEdge[];
}

export interface Violation {
  rule: string;
  message: string;
}

/** Every import of one file, from TypeScript's own parser (so strings and comments are never taken for imports). */
export function importsOf(file: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean, dynamic = false) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    sites.push({ file, line, specifier: literal.text, typeOnly, dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allNamedTypes =
        !!named && named.length > 0 && !clause?.name && named.every((element) => element.isTypeOnly);
      add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || allNamedTypes));
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const allNamedTypes = !!named && named.length > 0 && named.every((element) => element.isTypeOnly);
      add(node, node.moduleSpecifier, node.isTypeOnly || allNamedTypes);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The top folder of a path relative to src/. */
export function topFolderOf(file: string): TopFolder {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0]! : '(root)';
}

/** The top folder a relative specifier points at, or undefined for a package or node: module. */
export function targetFolder(site: ImportSite): TopFolder | undefined {
  if (!site.specifier.startsWith('.')) return undefined;
  const resolved = posix.normalize(posix.join(dirname(site.file).replaceAll('\\', '/'), site.specifier));
  if (resolved.startsWith('..')) return undefined;
  return topFolderOf(resolved);
}

const where = (site: ImportSite) => `src/${site.file}:${site.line}`;

function forbiddenViolations(sites: ImportSite[], rules: ArchitectureRules): Violation[] {
  const violations: Violation[] = [];
  for (const rule of rules.forbidden) {
    for (const site of sites) {
      const folderOfFile = topFolderOf(site.file);
      const applies = Array.isArray(rule.from)
        ? rule.from.includes(folderOfFile)
        : !rule.from.allExcept.includes(folderOfFile);
      if (!applies) continue;
      const folder = targetFolder(site);
      const hit = (folder !== undefined && rule.folders?.includes(folder)) || rule.modules?.includes(site.specifier);
      if (!hit) continue;
      if (rule.exceptions?.some((exception) => exception.file === site.file && exception.specifier === site.specifier))
        continue;
      violations.push({
        rule: rule.name,
        message: `${where(site)}: imports '${site.specifier}' — rule '${rule.name}': ${rule.reason}`,
      });
    }
  }
  for (const rule of rules.forbidden) {
    for (const exception of rule.exceptions ?? []) {
      const stillThere = sites.some((site) => site.file === exception.file && site.specifier === exception.specifier);
      if (!stillThere) {
        violations.push({
          rule: rule.name,
          message: `rule '${rule.name}' lists an exception that no longer exists (src/${exception.file} → '${exception.specifier}'): remove it from the rules`,
        });
      }
    }
  }
  return violations;
}

/** The subfolder of `folder` a path relative to src/ lies in (`lang/node/detect.ts` → `node`), if any. */
function subfolderOf(file: string, folder: string): string | undefined {
  if (!file.startsWith(`${folder}/`)) return undefined;
  const parts = file.slice(folder.length + 1).split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

function isolationViolations(sites: ImportSite[], rules: ArchitectureRules): Violation[] {
  const violations: Violation[] = [];
  for (const rule of rules.isolated ?? []) {
    for (const site of sites) {
      const from = subfolderOf(site.file, rule.folder);
      if (from === undefined || !site.specifier.startsWith('.')) continue;
      const resolved = posix.normalize(posix.join(dirname(site.file).replaceAll('\\', '/'), site.specifier));
      const to = subfolderOf(resolved, rule.folder);
      if (to === undefined || to === from) continue;
      violations.push({
        rule: rule.name,
        message: `${where(site)}: imports '${site.specifier}' — rule '${rule.name}': ${rule.folder}/${from}/ imports ${rule.folder}/${to}/; ${rule.reason}`,
      });
    }
  }
  return violations;
}

/**
 * The node of the cycle graph a path relative to src/ belongs to: its top folder, except under lang/, where each
 * language's parts are plug-ins of three different core folders and are told apart: `lang:scan` (a language's
 * detect/libraries/manifest/scan files and lang/scanners.ts, plugged into repo/), `lang:recipes` (lang/<x>/recipes/ and
 * lang/recipes.ts, plugged into plan/) and `lang:doctor` (lang/<x>/doctor/ and lang/context-linters.ts, into doctor/).
 */
export function cycleUnitOf(file: string): TopFolder {
  const top = topFolderOf(file);
  if (top !== 'lang') return top;
  const parts = file.split('/');
  if (parts.length === 2)
    return parts[1] === 'recipes.ts' ? 'lang:recipes' : parts[1] === 'context-linters.ts' ? 'lang:doctor' : 'lang:scan';
  if (parts[2] === 'recipes' || parts[2] === 'doctor') return `lang:${parts[2]}`;
  return 'lang:scan';
}

function cycleUnitOfSite(site: ImportSite): TopFolder | undefined {
  if (!site.specifier.startsWith('.')) return undefined;
  const resolved = posix.normalize(posix.join(dirname(site.file).replaceAll('\\', '/'), site.specifier));
  if (resolved.startsWith('..')) return undefined;
  return cycleUnitOf(resolved.endsWith('.js') ? resolved.replace(/\.js$/, '.ts') : resolved);
}

/** One import per edge between two top folders, as the evidence shown for a cycle. */
type Graph = Map<TopFolder, Map<TopFolder, ImportSite>>;

function folderGraph(sites: ImportSite[], valueOnly: boolean): Graph {
  const graph: Graph = new Map();
  for (const site of sites) {
    if (valueOnly && site.typeOnly) continue;
    const from = cycleUnitOf(site.file);
    const to = cycleUnitOfSite(site);
    if (to === undefined || to === from) continue;
    const edges = graph.get(from) ?? new Map<TopFolder, ImportSite>();
    if (!edges.has(to) || (edges.get(to)!.typeOnly && !site.typeOnly)) edges.set(to, site);
    graph.set(from, edges);
  }
  return graph;
}

/** The strongly connected groups of top folders (Tarjan): folders that import each other, directly or round about. */
export function folderGroups(graph: Graph): TopFolder[][] {
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((edges) => [...edges.keys()])])].sort();
  const index = new Map<TopFolder, number>();
  const low = new Map<TopFolder, number>();
  const stack: TopFolder[] = [];
  const groups: TopFolder[][] = [];
  const visit = (node: TopFolder) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: TopFolder[] = [];
      let member: TopFolder;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return groups;
}

/** Every folder-to-folder import that lies on a cycle between top folders, with its kind and one import as evidence. */
export function cycleEdges(
  sites: ImportSite[],
): { from: TopFolder; to: TopFolder; kind: 'value' | 'type-only'; site: ImportSite }[] {
  const graph = folderGraph(sites, false);
  const groupOf = new Map<TopFolder, number>();
  folderGroups(graph).forEach((group, i) => group.forEach((folder) => groupOf.set(folder, i)));
  const edges = [];
  for (const [from, targets] of graph) {
    for (const [to, site] of targets) {
      if (groupOf.get(from) === undefined || groupOf.get(from) !== groupOf.get(to)) continue;
      edges.push({ from, to, kind: site.typeOnly ? ('type-only' as const) : ('value' as const), site });
    }
  }
  return edges.sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`));
}

function cycleViolations(sites: ImportSite[], rules: ArchitectureRules): Violation[] {
  const found = cycleEdges(sites);
  const key = (edge: { from: TopFolder; to: TopFolder; kind: string }) => `${edge.from} → ${edge.to} (${edge.kind})`;
  const known = new Set(rules.knownCycleEdges.map(key));
  const violations: Violation[] = [];
  for (const edge of found) {
    if (known.has(key(edge))) continue;
    violations.push({
      rule: 'no-folder-cycles',
      message:
        `${where(edge.site)}: imports '${edge.site.specifier}'${edge.kind === 'type-only' ? ' (type only)' : ''} — rule 'no-folder-cycles': ` +
        `${edge.from}/ → ${edge.to}/ closes a ${edge.kind} import cycle between top folders that is not in knownCycleEdges`,
    });
  }
  const foundKeys = new Set(found.map(key));
  for (const edge of rules.knownCycleEdges) {
    if (!foundKeys.has(key(edge))) {
      violations.push({
        rule: 'no-folder-cycles',
        message: `known cycle edge ${key(edge)} no longer closes a cycle: remove it from knownCycleEdges`,
      });
    }
  }
  return violations;
}

/** Checks a set of source files (path relative to src/ → text) against the rules; an empty list means all hold. */
export function checkImports(files: Map<string, string>, rules: ArchitectureRules): Violation[] {
  const sites = [...files].flatMap(([file, text]) => importsOf(file, text));
  return [...forbiddenViolations(sites, rules), ...isolationViolations(sites, rules), ...cycleViolations(sites, rules)];
}
