/** Types of shape-slots.mjs: side-by-side corpus drives, never two on one port, at most `limit` at once. */
export declare function shapeSlots(limit: number): <T>(port: number, task: () => Promise<T>) => Promise<T>;
