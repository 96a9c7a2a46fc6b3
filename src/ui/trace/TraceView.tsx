import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { TextField } from '../components/TextField.js';
import type { ObservedTraces } from '../../workflow/check-step.js';
import { formatDurationMs } from '../../verify/receiver/trace-tree.js';
import { clampOffset, ScrollView } from '../components/ScrollView.js';
import { wrapLines } from '../text.js';
import { useKeys } from '../use-keys.js';
import { navigationFor, type Navigation } from '../flow/keymap.js';
import { fit, shortId, spanLine, waterfallRows, type WaterfallRow } from './layout.js';
import { missingParentReason, type MissingParent } from './incomplete.js';
import { isErrorSpan, moveSelection, nextRow, spanMatches } from './search.js';
import { filterTraces, sortTraces, summarizeTraces, type TraceSort, type TraceSummary } from './traces.js';
import { spanDetailLines } from './detail.js';

export interface TraceViewProps {
  observed: ObservedTraces;
  /** Lines the view may use, its key line included. */
  height: number;
  width: number;
  color: boolean;
  /** Esc on the trace list. */
  onClose(): void;
  /** q anywhere in the view but a text field: quit the guide, as on every screen. */
  onQuit?: () => void;
}

/** How far a move goes in a list of `total` rows shown `room` at a time (top and bottom: past either end). */
function delta(move: Navigation, room: number, total: number): number {
  switch (move) {
    case 'down':
      return 1;
    case 'up':
      return -1;
    case 'page-down':
      return room;
    case 'page-up':
      return -room;
    case 'top':
      return -total;
    case 'bottom':
      return total;
    default:
      return 0;
  }
}

interface Cursor {
  sel: number;
  top: number;
}

/** Moves a window of `room` rows so that `sel` stays in it. */
export function follow(sel: number, top: number, room: number, total: number): Cursor {
  let next = top;
  if (sel < next) next = sel;
  if (sel >= next + room) next = sel - room + 1;
  return { sel, top: clampOffset(next, total, room) };
}

type Typing = 'filter' | 'search' | undefined;

/**
 * The traces a check run observed: a list of traces (sortable, filterable), the waterfall of one trace, and the details
 * of one span with the log lines of its trace. Renders only what fits in `height`, so a trace of hundreds of spans
 * costs no more to draw than a small one.
 */
export function TraceView({ observed, height, width, color, onClose, onQuit }: TraceViewProps) {
  const all = useMemo(() => summarizeTraces(observed.spans), [observed.spans]);
  const [sort, setSort] = useState<TraceSort>('start');
  const [filter, setFilter] = useState('');
  const [typing, setTyping] = useState<Typing>();
  const [list, setList] = useState<Cursor>({ sel: 0, top: 0 });
  const [openId, setOpenId] = useState<string | undefined>();
  const [rowCursor, setRowCursor] = useState<Cursor>({ sel: 0, top: 0 });
  const [search, setSearch] = useState('');
  const [detail, setDetail] = useState<{ offset: number } | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const shown = useMemo(() => sortTraces(filterTraces(all, filter), sort), [all, filter, sort]);
  const open = openId === undefined ? undefined : all.find((t) => t.traceId === openId);
  const rows = useMemo(() => (open ? waterfallRows(open.tree) : []), [open]);
  const reasons = useMemo(() => {
    const map = new Map<string, MissingParent>();
    for (const row of rows)
      if (row.kind === 'gap') map.set(row.span.spanId, missingParentReason(row.span, observed.spans, observed.probes));
    return map;
  }, [rows, observed]);

  // Header and key line, plus the input/info line.
  const room = Math.max(1, height - 3);
  // Span detail: its lines, and how far they scroll (the view keeps a line for the keys and one for its "more" marker).
  const detailRow = open && detail ? rows[rowCursor.sel] : undefined;
  const detailLines =
    detailRow && open
      ? wrapLines(
          spanDetailLines(detailRow.span, open, observed.logs, reasons.get(detailRow.span.spanId), color),
          width,
        )
      : [];
  const detailHeight = Math.max(1, height - 1);
  const detailMax = Math.max(0, detailLines.length - (detailHeight - 1));

  useKeys((input, key) => {
    if (typing) {
      if (key.escape) {
        if (typing === 'filter') setFilter('');
        setTyping(undefined);
      }
      return;
    }
    setNotice(undefined);
    if (input === 'q' && !key.ctrl) return onQuit?.();
    if (detail) {
      const move = navigationFor(input, key);
      if (key.escape || key.return) setDetail(undefined);
      else if (move)
        setDetail((d) => ({
          offset: Math.max(0, Math.min(detailMax, (d?.offset ?? 0) + delta(move, room, detailMax + 1))),
        }));
      return;
    }
    if (open) {
      const jump = (index: number | undefined, none: string) => {
        if (index === undefined) setNotice(none);
        else setRowCursor((c) => follow(index, c.top, room, rows.length));
      };
      const move = navigationFor(input, key, { search: true });
      if (key.escape) {
        setOpenId(undefined);
        setSearch('');
      } else if (move === 'next-match' || move === 'previous-match') {
        if (search === '') setNotice('Press / to search first.');
        else
          jump(
            nextRow(rows, rowCursor.sel, (s) => spanMatches(s, search), move === 'next-match' ? 1 : -1),
            `No span matches "${search}".`,
          );
      } else if (move) {
        setRowCursor((c) =>
          follow(moveSelection(rows, c.sel, delta(move, room, rows.length)), c.top, room, rows.length),
        );
      } else if (input === 'e') jump(nextRow(rows, rowCursor.sel, isErrorSpan), 'No error span in this trace.');
      else if (input === '/') setTyping('search');
      else if (key.return && rows[rowCursor.sel]) setDetail({ offset: 0 });
      return;
    }
    if (key.escape) return onClose();
    const move = navigationFor(input, key);
    if (move)
      setList((c) =>
        follow(
          Math.max(0, Math.min(shown.length - 1, c.sel + delta(move, room, shown.length))),
          c.top,
          room,
          shown.length,
        ),
      );
    else if (input === 'd') {
      setSort((s) => (s === 'duration' ? 'start' : 'duration'));
      setList({ sel: 0, top: 0 });
    } else if (input === '/') setTyping('filter');
    else if (key.return) {
      const trace = shown[list.sel];
      if (!trace) return;
      const rowsOfTrace = waterfallRows(trace.tree);
      setOpenId(trace.traceId);
      setRowCursor({ sel: moveSelection(rowsOfTrace, 0, 0), top: 0 });
      setSearch('');
    }
  });

  const keyLine = (text: string) => (
    <Text color={color ? 'cyan' : undefined} wrap="truncate-end">
      {fit(text, width).trimEnd()}
    </Text>
  );
  const infoLine = (text: string | undefined, tone?: string) => (
    <Text color={color && tone ? tone : undefined} wrap="truncate-end">
      {text ? fit(text, width).trimEnd() : ' '}
    </Text>
  );

  if (open && detail) {
    return (
      <Box flexDirection="column">
        <ScrollView
          lines={detailLines}
          height={detailHeight}
          offset={clampOffset(detail.offset, detailLines.length, detailHeight - 1)}
        />
        {keyLine('↑/↓ j/k PgUp/PgDn g/G scroll · esc back to the waterfall · q quit')}
      </Box>
    );
  }

  if (open) {
    const selected = rows[rowCursor.sel];
    const window = rows.slice(rowCursor.top, rowCursor.top + room);
    const matches =
      search === '' ? 0 : rows.reduce((n, r) => n + (r.kind === 'span' && spanMatches(r.span, search) ? 1 : 0), 0);
    const head = [
      `trace ${shortId(open.traceId)}`,
      `${open.spanCount} span${open.spanCount === 1 ? '' : 's'}`,
      formatDurationMs(open.durationMs),
      open.errorCount > 0 ? `${open.errorCount} error${open.errorCount === 1 ? '' : 's'}` : '',
      rows.length > room ? `${rowCursor.sel + 1}/${rows.length}` : '',
      search ? `"${search}": ${matches} match${matches === 1 ? '' : 'es'}` : '',
    ].filter(Boolean);
    let info: React.ReactNode;
    if (typing === 'search') {
      info = (
        <Box>
          <Text color={color ? 'cyan' : undefined}>search › </Text>
          <TextField
            placeholder="span name or attribute value"
            onSubmit={(value) => {
              setTyping(undefined);
              setSearch(value.trim());
              if (value.trim() === '') return;
              const hit = nextRow(rows, rowCursor.sel - 1, (s) => spanMatches(s, value));
              if (hit === undefined) setNotice(`No span matches "${value.trim()}".`);
              else setRowCursor((c) => follow(hit, c.top, room, rows.length));
            }}
          />
        </Box>
      );
    } else if (notice) info = infoLine(notice, 'yellow');
    else if (selected && reasons.has(selected.span.spanId))
      info = infoLine(`⚠ ${reasons.get(selected.span.spanId)!.why}`, 'yellow');
    else if (selected && isErrorSpan(selected.span))
      info = infoLine(`✗ ${selected.span.status.message ?? 'error'}`, 'red');
    else info = infoLine(undefined);
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          {fit(head.join(' · '), width).trimEnd()}
        </Text>
        {window.map((row, i) => (
          <WaterfallLine
            key={rowCursor.top + i}
            row={row}
            trace={open}
            selected={rowCursor.top + i === rowCursor.sel}
            width={width}
            color={color}
            reason={reasons.get(row.span.spanId)}
          />
        ))}
        {info}
        {/* Fits an 80-column terminal inside the panel (76 columns); j/k, g/G, PgUp/PgDn and q are in the ? help. */}
        {keyLine('↑/↓ span · e next error · / search · n/N match · enter details · esc list')}
      </Box>
    );
  }

  const window = shown.slice(list.top, list.top + room);
  const nameWidth = Math.max(8, Math.floor((width - 30) * 0.55));
  const serviceWidth = Math.max(6, width - 30 - nameWidth);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {all.length === 0
          ? 'No traces were observed.'
          : `Traces: ${shown.length}${shown.length === all.length ? '' : ` of ${all.length}`} · by ${sort === 'duration' ? 'duration (longest first)' : 'start time'}${filter ? ` · filter "${filter}"` : ''}`}
      </Text>
      {shown.length === 0 && all.length > 0 ? (
        <Text dimColor>No trace has a service or span name matching "{filter}".</Text>
      ) : null}
      {window.map((trace, i) => {
        const index = list.top + i;
        return (
          <TraceRow
            key={trace.traceId}
            trace={trace}
            selected={index === list.sel}
            width={width}
            nameWidth={nameWidth}
            serviceWidth={serviceWidth}
            color={color}
          />
        );
      })}
      {typing === 'filter' ? (
        <Box>
          <Text color={color ? 'cyan' : undefined}>filter › </Text>
          <TextField
            placeholder="service or span name"
            defaultValue={filter}
            onChange={(value) => {
              setFilter(value);
              setList({ sel: 0, top: 0 });
            }}
            onSubmit={() => setTyping(undefined)}
          />
        </Box>
      ) : (
        infoLine(notice)
      )}
      {keyLine('↑/↓ j/k select · enter waterfall · d duration/start · / filter · esc back · q quit')}
    </Box>
  );
}

function TraceRow({
  trace,
  selected,
  width,
  nameWidth,
  serviceWidth,
  color,
}: {
  trace: TraceSummary;
  selected: boolean;
  width: number;
  nameWidth: number;
  serviceWidth: number;
  color: boolean;
}) {
  const error = trace.errorCount > 0;
  const name = trace.rootMissing
    ? `${trace.rootName} ⚠ no root`
    : trace.orphanCount > 0
      ? `${trace.rootName} ⚠`
      : trace.rootName;
  const text = fit(
    `${selected ? '›' : ' '} ${error ? '✗' : ' '} ${fit(name, nameWidth)} ${fit(trace.services.join(','), serviceWidth)} ${`${trace.spanCount} sp`.padStart(7)} ${formatDurationMs(trace.durationMs).padStart(10)}`,
    width,
  );
  return (
    <Text wrap="truncate-end" color={color && error ? 'red' : undefined} inverse={color && selected} bold={selected}>
      {text}
    </Text>
  );
}

function WaterfallLine({
  row,
  trace,
  selected,
  width,
  color,
  reason,
}: {
  row: WaterfallRow;
  trace: TraceSummary;
  selected: boolean;
  width: number;
  color: boolean;
  reason: MissingParent | undefined;
}) {
  if (row.kind === 'gap') {
    return (
      <Text wrap="truncate-end" color={color ? 'yellow' : undefined}>
        {fit(`  ⚠ parent ${shortId(row.parentSpanId)} missing: ${reason?.short ?? 'not received'}`, width)}
      </Text>
    );
  }
  const error = isErrorSpan(row.span);
  return (
    <Text wrap="truncate-end" color={color && error ? 'red' : undefined} inverse={color && selected} bold={selected}>
      {selected ? '›' : ' '}
      {spanLine(row.span, row.depth, trace.startNs, trace.endNs, width - 1)}
    </Text>
  );
}
