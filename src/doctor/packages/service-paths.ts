/**
 * Where a service is on disk: its absolute folder, and how an absolute path is shown in evidence
 * (repo-relative when inside the repo).
 */
import path from 'node:path';
import type { Service } from '../../types/scan.js';
import type { CheckContext } from '../../verify/check.js';

export function shownPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

export function serviceDir(ctx: Pick<CheckContext, 'root'>, service: Service): string {
  return path.resolve(ctx.root, service.root === '' ? '.' : service.root);
}
