// The baseline for bench/fleet.mjs: a bare Ink app, bundled the same way as lambda-top (esbuild, same settings) and
// rendered with the same Ink options as the fleet view, showing a list of N rows (default 5,000) of the same shape
// and visible size: a title, a status line, a column header, the rows that fit, a sort/filter line and a hint
// line. `s` cycles the sort (the same column names), `/` starts a name filter (a case-insensitive regex, typed a
// key at a time), esc ends it. Sorting and filtering happen in process over all N rows, memoised on (sort,
// filter) as any careful list would; only the visible rows are drawn, one <Text> each. No AWS, no store, no
// polling: what is left is Ink, React and the terminal round trip the benchmark measures through tmux. `n` only
// counts in the footer: the floor, a frame that sorts and filters nothing.
// Usage (bundled by bench/fleet.mjs): node .bench-out/bare-fleet-list.js [--size 5000]
import React, {useMemo, useState} from 'react';
import {render, Box, Text, useInput, useWindowSize} from 'ink';

const index = process.argv.indexOf('--size');
const size = index === -1 ? 5000 : Number(process.argv[index + 1]);
const TEAMS = ['payments', 'search', 'identity', 'catalog', 'shipping', 'billing', 'media', 'growth', 'ledger', 'notify', 'pricing', 'fraud', 'support', 'ads', 'inventory', 'reports'];
const NOUNS = ['orders', 'users', 'events', 'images', 'invoices', 'sessions', 'tokens', 'carts', 'emails', 'webhooks', 'exports', 'feeds', 'metrics', 'audits', 'quotes', 'refunds'];
const VERBS = ['sync', 'ingest', 'resize', 'index', 'notify', 'enrich', 'archive', 'validate', 'render', 'score', 'dedupe', 'publish', 'expire', 'rollup', 'fanout', 'import'];
const SORTS = ['health', 'name', 'invocations', 'errors', 'throttles', 'event age', 'dropped', 'concurrency', 'DLQ depth'] as const;
const MARKS = ['✖', '▲', '●', '?'];

interface Row {
  name: string;
  figures: number[];
  health: number;
}

let seed = 42;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const rows: Row[] = Array.from({length: size}, (_, i) => ({
  name: `${TEAMS[Math.floor(random() * TEAMS.length)]}-${NOUNS[Math.floor(random() * NOUNS.length)]}-${VERBS[Math.floor(random() * VERBS.length)]}-${String(i).padStart(4, '0')}`,
  figures: Array.from({length: 7}, () => Math.floor(random() * 10_000)),
  health: Math.floor(random() * 4),
}));

const pad = (text: string, width: number, right = false): string => (text.length >= width ? text.slice(0, width) : right ? text.padStart(width) : text.padEnd(width));

function sortRows(list: readonly Row[], sort: number): Row[] {
  const byName = (a: Row, b: Row) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (sort === 0) return [...list].sort((a, b) => a.health - b.health || byName(a, b));
  if (sort === 1) return [...list].sort(byName);
  const column = sort - 2;
  return [...list].sort((a, b) => b.figures[column]! - a.figures[column]! || byName(a, b));
}

function BareList(): React.JSX.Element {
  const {columns, rows: height} = useWindowSize();
  const [sort, setSort] = useState(0);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState(false);
  // `n` changes only the footer (a counter): no sort, no filter, the same rows; the floor of a key's round trip
  const [ticks, setTicks] = useState(0);
  const visible = useMemo(() => {
    let regex: RegExp | null = null;
    try {
      regex = filter ? new RegExp(filter, 'i') : null;
    } catch {
      regex = null;
    }
    return sortRows(regex ? rows.filter((r) => regex.test(r.name)) : rows, sort);
  }, [sort, filter]);
  useInput((input, key) => {
    if (editing) {
      if (key.escape) {
        setEditing(false);
        setFilter('');
      } else if (key.return) setEditing(false);
      else if (key.backspace || key.delete) setFilter((f) => f.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) setFilter((f) => f + input);
      return;
    }
    if (input === 'q') app.unmount();
    else if (input === 's') setSort((s) => (s + 1) % SORTS.length);
    else if (input === 'n') setTicks((t) => t + 1);
    else if (input === '/') setEditing(true);
  });
  const bodyHeight = Math.max(1, height - 5);
  const nameWidth = Math.max(12, columns - 2 - 57 - 34);
  const footer = editing ? `filter: /${filter}█` : `sort: ${SORTS[sort]}${filter ? ` · filter: /${filter}/` : ''} · ${visible.length ? `1/${visible.length}` : 'no function matches'} · n ${ticks}`;
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Text bold wrap="truncate">bare ink list · {visible.length} of {rows.length} rows</Text>
      <Text wrap="truncate">bare list ready · in-process sort and filter</Text>
      <Text bold wrap="truncate">{pad('  FUNCTION', 2 + nameWidth)} {['INVOC', 'ERR', 'THROT', 'AGE MAX', 'DROP', 'CONC/RES', 'DLQ'].join(' ')}</Text>
      <Box flexDirection="column" height={bodyHeight}>
        {visible.slice(0, bodyHeight).map((row, i) => (
          <Text key={row.name} inverse={i === 0} wrap="truncate">
            {MARKS[row.health]} {pad(row.name, nameWidth)} {row.figures.map((f) => pad(String(f), 7, true)).join(' ')}
          </Text>
        ))}
      </Box>
      <Text wrap="truncate">{footer}</Text>
      <Text wrap="truncate">s sort  / filter  q quit</Text>
    </Box>
  );
}

// the fleet view's render options (source/cli/run-fleet.tsx), so that only the app's own work differs
const app = render(<BareList />, {alternateScreen: true, exitOnCtrlC: true, interactive: true, patchConsole: true, maxFps: 240});
await app.waitUntilExit();
process.exit(0);
