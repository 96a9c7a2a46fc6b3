import type { RepoReader } from '../repo/repo-reader.js';
import type { Service } from '../types/scan.js';

/** What reading a repo's sources needs: the root, the safe reader, and the services in play. A check's context is one. */
export interface SourceContext {
  root: string;
  repo: RepoReader;
  services: Service[];
}
