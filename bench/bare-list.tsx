// The baseline for bench/browser.mjs: a bare Ink list of N failed events with the browser's footer ("k/N"),
// bundled the same way as lambda-top and rendered with its Ink options (maxFps 60). j/k move the cursor; / types a filter that searches each event's whole
// text (payload, ids, error), lower-cased once at start, naively: every key scans all N in memory.
// Usage: node bare-list.js N
import React, {useState} from 'react';
import {render, Box, Text, useInput, useWindowSize} from 'ink';
import {benchError, benchHaystack, benchRequestId, formatCount} from './browser-data.mjs';

const count = Number(process.argv[2] ?? '1000');
interface Row {
  line: string;
  hay: string;
}
const rows: Row[] = [];
for (let i = 0; i < count; i++) {
  const requestId = benchRequestId(i);
  const error = benchError(i);
  const line = `${'1h 02m'.padStart(10)} ${'DLQ'.padEnd(10)} ${requestId.slice(0, 13)} ${'—'.padEnd(16)}   3 ${'Error'.padEnd(14)} ${error.split('\n')[0]!.slice(0, 40).padEnd(40)} ${'1.1 KB'.padStart(9)}`;
  rows.push({line, hay: benchHaystack(i)});
}

function List(): React.JSX.Element {
  const {columns, rows: height} = useWindowSize();
  const [cursor, setCursor] = useState(0);
  const [top, setTop] = useState(0);
  const [filter, setFilter] = useState<{text: string; editing: boolean}>({text: '', editing: false});
  const [shown, setShown] = useState<Row[]>(rows);
  const header = 5;
  const visibleRows = Math.max(1, height - header - 2);
  useInput((input, key) => {
    if (filter.editing) {
      if (key.return) return setFilter({...filter, editing: false});
      const text = key.backspace || key.delete ? filter.text.slice(0, -1) : filter.text + input;
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      setFilter({text, editing: true});
      setShown(words.length ? rows.filter((r) => words.every((w) => r.hay.includes(w))) : rows);
      setCursor(0);
      setTop(0);
      return;
    }
    if (input === 'q') return app.unmount();
    if (input === '/') return setFilter({...filter, editing: true});
    const delta = input === 'j' || key.downArrow ? 1 : input === 'k' || key.upArrow ? -1 : 0;
    if (delta === 0) return;
    const next = Math.max(0, Math.min(shown.length - 1, cursor + delta));
    setCursor(next);
    if (next < top) setTop(next);
    if (next >= top + visibleRows) setTop(next - visibleRows + 1);
  });
  const body = shown.slice(top, top + visibleRows);
  return (
    <Box flexDirection="column" width={columns} height={height - 1}>
      <Text bold>{`Failed events  ${formatCount(shown.length)} shown · ${formatCount(count)} loaded · sort time ↓`}</Text>
      <Text>{' all   DLQ order-processor-dlq'}</Text>
      <Text color="yellow">{'⚠ bare ink list: the baseline'}</Text>
      <Text>{filter.editing ? `/${filter.text}▏  enter keep · esc clear` : filter.text ? `filter ${filter.text}` : ' '}</Text>
      <Text dimColor>{'       age source     request id    condition       att error          message'}</Text>
      {body.map((r, i) => (
        <Text key={top + i} inverse={top + i === cursor} wrap="truncate">
          {r.line.slice(0, columns)}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text dimColor>{`more in the queue: pgdn at the end or m loads more${' '.repeat(Math.max(1, columns - 60))}${shown.length ? `${cursor + 1}/${formatCount(shown.length)}` : ''}`}</Text>
    </Box>
  );
}

// lambda-top's dashboard draws at most 20 frames a second (cli/run-dashboard.tsx): the same here.
const app = render(<List />, {interactive: true, maxFps: 60});
await app.waitUntilExit();
process.exit(0);
