/** The repository's file list as the recipes of one plan see it: listed once per PlanContext, shared by every language. */
import { listFiles } from '../../repo/files.js';
import type { PlanContext } from '../context.js';

const listings = new WeakMap<PlanContext, Promise<string[]>>();

/** Repo-relative POSIX paths of the files trace-guide reads in this plan's repository (listed on first use). */
export function planFiles(ctx: PlanContext): Promise<string[]> {
  let files = listings.get(ctx);
  if (!files) {
    files = listFiles(ctx.root).then((l) => l.files);
    listings.set(ctx, files);
  }
  return files;
}
