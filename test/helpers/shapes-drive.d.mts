/** Types of shapes-drive.mjs: one corpus app driven through steps 1–6 by the JSON CLI and judged by the oracle. */
import type { Oracle, OracleSpan } from './oracle-receiver.mjs';
export declare const PROJECT_ROOT: string;
export declare const SHAPES_DIR: string;
export declare const SHAPE_ROUTES: Record<string, string[]>;
export declare const SHAPE_PORTS: Record<string, number>;
export declare const PYTHON_SHAPES: Set<string>;
export interface ShapeDrive {
  name: string;
  /** What trace-guide's `check --step N --json` said, per step 1–6. */
  proven: Record<number, boolean>;
  /** Why a step is not proven: failing required checks, open notes, failed applies (findings about the product). */
  failures: Record<number, string[]>;
  /** What the oracle saw, per observable step (2, 3, 4, 6). */
  oracle: Record<number, boolean>;
  /** Steps called proven that the oracle does not confirm: false passes. */
  disagreements: string[];
  ran: boolean;
  why?: string;
  spanCount: number;
  serviceLog: string;
}
export declare function judge(
  spans: OracleSpan[],
  sent: { route: string; traceId: string; parentId: string }[],
  log: string,
): Record<number, boolean>;
export declare function driveShape(
  name: string,
  oracle: Oracle,
  options?: { log?: (line: string) => void; env?: Record<string, string> },
): Promise<ShapeDrive>;
