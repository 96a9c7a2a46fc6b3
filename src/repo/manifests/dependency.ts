import type { Evidence } from '../../types/scan.js';

/** A dependency a manifest declares, with the line that declares it. */
export interface Dependency {
  name: string;
  evidence: Evidence;
}
