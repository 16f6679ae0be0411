// The logs panel's layout formats only the rows on screen (the scrollback holds thousands of lines): its window
// must be exactly the slice of every row laid end to end, at any scroll, following or not, for failures only or
// every line, with a filter, with lines of several rows (stacks). And the row count it sizes the scroll range
// with (tailEventRows) must be what formatTailEvent gives. The scrollback's snapshot keeps the order after it
// wraps.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readLogLine} from '../../../source/domain/log-events.ts';
import {isFailureLine} from '../../../source/domain/log-filter.ts';
import {formatTailEvent, tailEventRows} from '../../../source/domain/log-format.ts';
import {Scrollback} from '../../../source/domain/scrollback.ts';
import {initialTailState} from '../../../source/store/tail-reducer.ts';
import type {LogTailState, TailLine} from '../../../source/store/types.ts';
import {logsLayout} from '../../../source/ui/components/LogsView.tsx';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const ID = 'c0ffee00-1111-4222-8333-444455556666';
const frames = (n: number) => Array.from({length: n}, (_, i) => `    at f${i} (/var/task/x.js:${i}:1)`);

function message(i: number): string {
  switch (i % 7) {
    case 0:
      return `START RequestId: ${ID} Version: $LATEST #${i}`;
    case 1:
      return JSON.stringify({level: 'INFO', message: `processing #${i}`, orderId: i});
    case 2:
      return `2026-12-01T10:00:00.000Z\t${ID}\tERROR\tInvoke Error \t${JSON.stringify({errorType: 'TypeError', errorMessage: `boom #${i}`, stack: ['TypeError: boom', ...frames(i % 3 === 0 ? 12 : 3)]})}`;
    case 3:
      return JSON.stringify({level: 'ERROR', message: `failed #${i}`, error: {name: 'E', message: 'x', stack: `E: x\n${frames(2).join('\n')}\n   \n${frames(1).join('\n')}`}});
    case 4:
      return `[ERROR] ValueError: bad #${i}\nTraceback (most recent call last):\n  File "/var/task/app.py", line 3, in handler\n    raise ValueError("bad")`;
    case 5:
      return `2026-12-01T10:00:00.000Z ${ID} Task timed out after 3.00 seconds #${i}`;
    default:
      return `REPORT RequestId: ${ID}\tDuration: ${i}.00 ms\tBilled Duration: ${i} ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t`;
  }
}

function line(i: number): TailLine {
  const text = message(i);
  const read = readLogLine(text);
  return {timestamp: T0 + i, stream: '2026/12/01/[$LATEST]abcdef', message: text, read, failure: isFailureLine(read, {slowMs: 3000})};
}

const texts = (rows: Array<Array<{text: string}>>) => rows.map((r) => r.map((s) => s.text).join(''));

/** Every row of the shown lines, end to end: what the window must be a slice of. */
function allRows(lines: TailLine[], state: LogTailState, width: number): string[] {
  const needle = state.filter.text.trim().toLowerCase();
  return lines
    .filter((l) => (state.showAll || l.failure) && (needle === '' || l.message.toLowerCase().includes(needle)))
    .flatMap((l) => formatTailEvent(l, l.read, {width}));
}

test('tailEventRows is the number of rows formatTailEvent gives, for every kind of line', () => {
  for (let i = 0; i < 70; i++) {
    const l = line(i);
    assert.equal(tailEventRows(l, l.read), formatTailEvent(l, l.read, {width: 100}).length, l.message);
    assert.equal(tailEventRows(l, l.read), formatTailEvent(l, l.read, {width: 40}).length, 'the count does not depend on the width');
  }
});

test('the window is the slice of every row at any scroll, following or not, failures or every line, filtered', () => {
  const lines = Array.from({length: 400}, (_, i) => line(i));
  const width = 100;
  const height = 20;
  for (const showAll of [false, true]) {
    for (const filter of ['', 'boom']) {
      const base: LogTailState = {...initialTailState(), logGroup: '/aws/lambda/f', showAll, lines, received: lines.length, filter: {text: filter, editing: false}};
      const rows = allRows(lines, base, width);
      const following = logsLayout(base, width, height);
      assert.equal(following.totalRows, rows.length);
      assert.deepEqual(texts(following.body), rows.slice(following.maxScroll, following.maxScroll + following.bodyHeight), `following (showAll ${showAll}, filter "${filter}")`);
      assert.equal(following.body.length, Math.min(following.bodyHeight, rows.length));
      for (const scroll of [0, 1, 7, Math.floor(rows.length / 2), following.maxScroll - 3, following.maxScroll]) {
        const layout = logsLayout({...base, following: false, scroll}, width, height);
        const s = Math.max(0, Math.min(scroll, layout.maxScroll));
        assert.equal(layout.scroll, s);
        assert.deepEqual(texts(layout.body), rows.slice(s, s + layout.bodyHeight), `scroll ${scroll} (showAll ${showAll}, filter "${filter}")`);
      }
    }
  }
});

test('the header counts the shown lines of those read', () => {
  const lines = Array.from({length: 140}, (_, i) => line(i));
  const layout = logsLayout({...initialTailState(), logGroup: '/aws/lambda/f', lines, received: 9000}, 120, 30);
  const shown = lines.filter((l) => l.failure).length;
  assert.ok(shown > 0 && shown < lines.length);
  assert.match(texts(layout.header).join('\n'), new RegExp(`${shown} shown of 9,000 read`));
});

test('the scrollback snapshot is oldest first after it wraps, and a copy', () => {
  const s = new Scrollback<number>(5);
  for (let i = 0; i < 13; i++) s.push(i);
  const snap = s.toArray();
  assert.deepEqual(snap, [8, 9, 10, 11, 12]);
  assert.equal(s.dropped, 8);
  s.push(13);
  assert.deepEqual(snap, [8, 9, 10, 11, 12], 'a snapshot is not changed by later lines');
  assert.deepEqual(s.toArray(), [9, 10, 11, 12, 13]);
  assert.deepEqual(s.last(2), [12, 13]);
});
