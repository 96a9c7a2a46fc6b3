/** Types of shape-installs.mjs: installs the corpus drives share (npm cache use, one pip wheelhouse). */
export declare const NPM_SHARED_CACHE_ENV: Record<string, string>;
export declare function prepareShapeInstalls(
  names: string[],
  options?: { log?: (line: string) => void },
): Promise<Record<string, string>>;
export declare function offlinePipEnv(
  appDirs: string[],
  options?: { log?: (line: string) => void },
): Promise<Record<string, string>>;
