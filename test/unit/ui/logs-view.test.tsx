// The logs panel (`L`) over a real store: opening and leaving it (the tail's start and stop are asked for), the
// mode in the header, failures / every line, pause, the text filter, follow and scroll, bounded counts, a
// hostile line sanitised, and long lines cut by display width.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {readLogLine} from '../../../source/domain/log-events.ts';
import {isFailureLine} from '../../../source/domain/log-filter.ts';
import type {Action} from '../../../source/store/actions.ts';
import type {TailLine} from '../../../source/store/types.ts';
import {KEYS, lineWidths} from '../../helpers/render.tsx';
import {NOW} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const open = (...args: Parameters<typeof mount>): Mounted => (current = mount(...args));

const ID = 'c0ffee00-1111-4222-8333-444455556666';
function line(message: string, at = NOW, stream = '2025/11/14/[$LATEST]abcdef123456'): TailLine {
  const read = readLogLine(message);
  return {timestamp: at, stream, message, read, failure: isFailureLine(read, {slowMs: 24_000})};
}
const sample = (): TailLine[] => [
  line(`START RequestId: ${ID} Version: $LATEST`, NOW),
  line(`2025-11-14T18:30:20.100Z\t${ID}\tINFO\tcharging card for order 42`, NOW + 100),
  line(`2025-11-14T18:30:20.200Z\t${ID}\tERROR\tInvoke Error \t{"errorType":"PaymentsApiError","errorMessage":"payments said 503","stack":["PaymentsApiError: payments said 503","    at charge (/var/task/pay.js:3:1)"]}`, NOW + 200),
  line(JSON.stringify({level: 'ERROR', message: 'inventory lookup failed', service: 'orders', orderId: 'o-77', status: 502, requestId: ID}), NOW + 250),
  line(`2025-11-14T18:30:30.000Z ${ID} Task timed out after 30.00 seconds`, NOW + 10_000),
  line(`REPORT RequestId: ${ID}\tDuration: 30000.00 ms\tBilled Duration: 30000 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t`, NOW + 10_001),
];

function tailOpen(lines: TailLine[], extra: Action[] = []): Action[] {
  return [
    {type: 'tail/open'},
    {type: 'tail/started', logGroup: '/aws/lambda/order-processor', capacity: 5000},
    {type: 'tail/mode', mode: {kind: 'polling', reason: 'the endpoint does not support StartLiveTail', intervalMs: 2000}},
    {type: 'tail/lines', lines, received: lines.length, dropped: 0},
    ...extra,
  ];
}

test('L opens the logs panel and asks for the tail; Esc goes back and asks to stop it', async () => {
  const m = open({columns: 120, rows: 30});
  await m.waitForFrame((f) => f.includes('logs'), 'the L hint');
  await m.press('L');
  await m.waitForFrame((f) => /^Logs .*connecting…/m.test(f), 'the panel');
  assert.equal(m.named('openLogs').length, 1);
  assert.equal(m.store.getState().view, 'logs');
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => !/^Logs /m.test(f) && f.includes('Pipeline'), 'the dashboard again');
  assert.equal(m.store.getState().view, 'dashboard');
  assert.equal(m.named('closeLogs').length, 1);
});

test('the header says the mode and why; failures only by default, t toggles every line; structured lines compact', async () => {
  const m = open({columns: 170, rows: 30, actions: tailOpen(sample())});
  let frame = await m.waitForFrame((f) => f.includes('polling FilterLogEvents'));
  assert.match(frame, /polling FilterLogEvents every 2 s \(StartLiveTail not available: the endpoint does not support StartLiveTail\)/);
  assert.match(frame, /4 shown of 6 read · following · failures only \(t: every line\)/);
  assert.match(frame, /4 shown of 6 read/);
  assert.match(frame, /REPORT RequestId: .*Duration: 30000\.00 ms/, 'a REPORT over the slow threshold is a failure line');
  assert.match(frame, /ERROR PaymentsApiError: payments said 503/);
  assert.match(frame, /at charge \(\/var\/task\/pay\.js:3:1\)/, 'the stack under the error');
  assert.match(frame, /ERROR inventory lookup failed orderId=o-77 status=502/, 'level, message and a few keys');
  assert.doesNotMatch(frame, /service=orders/, 'common fields are not repeated');
  assert.match(frame, /Task timed out after 30\.00 seconds/);
  assert.doesNotMatch(frame, /charging card/);
  assert.doesNotMatch(frame, /START RequestId/);
  await m.press('t');
  frame = await m.waitForFrame((f) => f.includes('charging card'), 'every line');
  assert.match(frame, /START RequestId/);
  assert.match(frame, /6 shown of 6 read/);
  assert.match(frame, /every line \(t: failures only\)/);
  await m.press('t');
  await m.waitForFrame((f) => !f.includes('charging card'), 'failures again');

  m.store.dispatch({type: 'tail/mode', mode: {kind: 'live-tail'}});
  await m.waitForFrame((f) => /live tail \(StartLiveTail/.test(f), 'live tail named');
});

test('space pauses the screen (lines read meanwhile are counted, not shown) and resumes; p too', async () => {
  const lines = sample();
  const m = open({columns: 140, rows: 30, actions: tailOpen(lines)});
  await m.waitForFrame((f) => f.includes('following'));
  await m.press(KEYS.space);
  await m.waitForFrame((f) => f.includes('PAUSED'), 'paused');
  const more = [...lines, line(`2025-11-14T18:31:00.000Z\t${ID}\tERROR\tthe newest failure`, NOW + 40_000)];
  m.store.dispatch({type: 'tail/lines', lines: more, received: more.length, dropped: 0});
  let frame = await m.waitForFrame((f) => f.includes('PAUSED, 1 new lines since'), 'counted while paused');
  assert.doesNotMatch(frame, /the newest failure/);
  await m.press('p');
  frame = await m.waitForFrame((f) => f.includes('the newest failure'), 'resumed');
  assert.doesNotMatch(frame, /PAUSED/);
});

test('/ filters by text (typed, Enter keeps it, Esc clears it)', async () => {
  const m = open({columns: 140, rows: 30, actions: tailOpen(sample())});
  await m.waitForFrame((f) => f.includes('4 shown'));
  await m.press('/', 'i', 'n', 'v', 'e', 'n');
  await m.waitForFrame((f) => f.includes('filter: inven▏') && f.includes('1 shown'), 'typing');
  await m.press(KEYS.enter);
  let frame = await m.waitForFrame((f) => f.includes('filter "inven"'), 'kept');
  assert.match(frame, /inventory lookup failed/);
  assert.doesNotMatch(frame, /PaymentsApiError/);
  await m.press('t', '/', 'z', 'z', 'z');
  frame = await m.waitForFrame((f) => f.includes('no line matches the filter'), 'nothing matches');
  await m.press(KEYS.escape);
  frame = await m.waitForFrame((f) => f.includes('6 shown'), 'cleared');
  assert.equal(m.store.getState().view, 'logs', 'Esc in the filter clears it, it does not leave the panel');
});

test('follow keeps the newest line in view; k scrolls back (and stops following), f / End follow again', async () => {
  const many = Array.from({length: 80}, (_, i) => line(`2025-11-14T18:30:20.000Z\t${ID}\tERROR\tfailure number ${i}`, NOW + i));
  const m = open({columns: 100, rows: 20, actions: tailOpen(many)});
  let frame = await m.waitForFrame((f) => f.includes('failure number 79'));
  assert.doesNotMatch(frame, /failure number 10\b/);
  await m.press(KEYS.pageUp, KEYS.pageUp, 'k');
  frame = await m.waitForFrame((f) => f.includes('scrolled (f follows)') && !f.includes('failure number 79'), 'scrolled back');
  const newer = [...many, line(`2025-11-14T18:30:21.000Z\t${ID}\tERROR\tfailure number 80`, NOW + 1000)];
  m.store.dispatch({type: 'tail/lines', lines: newer, received: newer.length, dropped: 0});
  frame = await m.waitForFrame((f) => f.includes('81 shown'), 'counted');
  assert.doesNotMatch(frame, /failure number 80/, 'scrolled back, the view stays where it is');
  await m.press('f');
  await m.waitForFrame((f) => f.includes('failure number 80') && f.includes('following'), 'following again');
  await m.press('g');
  await m.waitForFrame((f) => f.includes('failure number 0 ') || /failure number 0$/m.test(f), 'the oldest line');
  await m.press(KEYS.end);
  await m.waitForFrame((f) => f.includes('failure number 80') && f.includes('following'), 'End follows');
});

test('the scrollback is bounded by the source: dropped lines are said', async () => {
  const lines = sample();
  const m = open({columns: 140, rows: 30, actions: [...tailOpen(lines), {type: 'tail/lines', lines, received: 12_345, dropped: 12_339}]});
  await m.waitForFrame((f) => f.includes('4 shown of 12,345 read (newest 5,000 kept)'));
});

test('a hostile log line is sanitised; long lines are cut by display width', async () => {
  const ESC = '\u001b';
  const hostile = `2025-11-14T18:30:20.000Z\t${ID}\tERROR\tpwned ${ESC}]0;owned title\u0007 ${ESC}[2J cleared \u202Eevil\u202C ${ESC}]8;;http://x.example\u0007link${ESC}]8;;\u0007`;
  const wide = `2025-11-14T18:30:20.000Z\t${ID}\tERROR\t${'注文処理に失敗しました'.repeat(20)} END-OF-LINE`;
  const m = open({columns: 80, rows: 24, actions: tailOpen([line(hostile), line(wide, NOW + 1)])});
  const frame = await m.waitForFrame((f) => f.includes('pwned'));
  // Nothing of the line's own control sequences reaches the terminal: only our colour codes remain.
  const raw = m.lastFrame().replace(/\u001b\[[0-9;]*m/g, '');
  assert.doesNotMatch(raw, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  assert.doesNotMatch(raw, /[\u202a-\u202e\u2066-\u2069]/);
  assert.match(frame, /owned title/, 'the text stays visible, as data');
  assert.ok(lineWidths(m.lastFrame()).every((w) => w <= 80), `a row wider than 80: ${Math.max(...lineWidths(m.lastFrame()))}`);
  const wideRow = frame.split('\n').find((l) => l.includes('注文'))!;
  assert.match(wideRow, /…/);
  assert.doesNotMatch(frame, /END-OF-LINE/);
});

test('help lists the logs panel keys', async () => {
  const m = open({columns: 160, rows: 50, actions: tailOpen(sample())});
  await m.waitForFrame((f) => f.includes('following'));
  await m.press('?');
  const frame = await m.waitForFrame((f) => f.includes('Logs panel'), 'help');
  assert.match(frame, /failures only \/ every line/);
  assert.match(frame, /pause \/ resume/);
  assert.match(frame, /follow the newest line/);
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('following'), 'back in the panel');
  assert.equal(m.store.getState().view, 'logs');
});
