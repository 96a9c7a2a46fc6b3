import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
  /** The output says how many rows it has (a terminal); otherwise `rows` is a default and nothing needs to fit in it. */
  rowsKnown: boolean;
}

/** Sizes used when the output is not a terminal (tests, pipes): the classic 80×24. */
const FALLBACK = { columns: 80, rows: 24 };

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return {
    columns: stdout.columns || FALLBACK.columns,
    rows: stdout.rows || FALLBACK.rows,
    rowsKnown: stdout.rows > 0,
  };
}

/**
 * The terminal's size, updated on every resize. Ink re-lays out the last tree on a resize but does not render the
 * components again, so a layout computed from `stdout.columns`/`rows` would keep the old size without this.
 */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((before) => {
        const now = sizeOf(stdout);
        return now.columns === before.columns && now.rows === before.rows && now.rowsKnown === before.rowsKnown
          ? before
          : now;
      });
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
