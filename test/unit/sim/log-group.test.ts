// The log store keeps its lines in columns (sim/lambda/logs.ts LogGroup). Against a plain list of line objects
// (what it kept before), under a long random run that grows the columns, hits the line limit, expires by age,
// inserts lines out of order and writes PutLogEvents lines: every read (all lines, pages with nextToken,
// scanSpanMs slices, time ranges, a filter pattern) gives the same events.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LogGroup, LineKind, formatLine, compileFilterPattern, type InvocationLog} from '../../../source/sim/lambda/logs.ts';
import {createRandom} from '../../../source/sim/random.ts';
import type {SimLogEvent} from '../../../source/sim/ports.ts';

interface RefLine {
  ts: number;
  seq: number;
  kind: LineKind;
  inv: InvocationLog;
  text?: string;
}

/** The reference: sorted objects, the same limit and expiry rules. */
class Reference {
  lines: RefLine[] = [];
  constructor(private readonly maxLines: number) {}
  insert(line: RefLine): void {
    let i = this.lines.length;
    while (i > 0 && this.lines[i - 1]!.ts > line.ts) i--;
    this.lines.splice(i, 0, line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
  expire(before: number): void {
    while (this.lines.length > 0 && this.lines[0]!.ts < before) this.lines.shift();
  }
  all(startTime: number, endTime: number, pattern: string): SimLogEvent[] {
    const match = compileFilterPattern(pattern);
    return this.lines
      .filter((l) => l.ts >= startTime && l.ts <= endTime)
      .map((l) => ({logStreamName: l.inv.stream, timestamp: l.ts, ingestionTime: l.ts + 250 + (l.seq % 7) * 90, message: formatLine(l), eventId: String(l.seq).padStart(20, '0')}))
      .filter((e) => match(e.message));
  }
}

const SOURCE = {version: '$LATEST', runtime: 'nodejs20.x', memorySizeMb: 128, timeoutSeconds: 10};

function invocation(rng: ReturnType<typeof createRandom>, n: number): InvocationLog {
  return {requestId: rng.uuid(), stream: `2026/11/23/[$LATEST]${rng.hex(8)}`, durationMs: n % 900, maxMemoryUsedMb: 60, initMs: n % 5 === 0 ? 120.5 : null, error: n % 7 === 0 ? `boom ${n}\n` : null, timedOut: n % 11 === 0, source: SOURCE};
}

function pages(group: LogGroup, input: {startTime?: number; endTime?: number; filterPattern?: string; limit?: number; scanSpanMs?: number}, now: number): SimLogEvent[] {
  const out: SimLogEvent[] = [];
  let nextToken: string | undefined;
  let guard = 0;
  do {
    const page = group.filter({...input, ...(nextToken ? {nextToken} : {})}, now);
    out.push(...page.events);
    nextToken = page.nextToken;
    assert.ok(guard++ < 100_000);
  } while (nextToken);
  return out;
}

test('LogGroup columns read the same as a plain list of lines, through growth, the line limit, expiry and out-of-order lines', () => {
  const rng = createRandom(5);
  const maxLines = 3000;
  const group = new LogGroup('/aws/lambda/fn', 'arn', 0, maxLines);
  const ref = new Reference(maxLines);
  assert.equal(group.createStream('mine'), true);
  assert.equal(group.createStream('mine'), false);
  const mine: InvocationLog = {requestId: '', stream: 'mine', durationMs: 0, maxMemoryUsedMb: 0, initMs: null, error: null, timedOut: false, source: {version: '', runtime: '', memorySizeMb: 0, timeoutSeconds: 0}};
  let t = Date.parse('2026-11-23T12:00:00.000Z');
  let seq = 0;
  const check = (label: string) => {
    const now = t + 5000;
    const all = ref.all(0, now, '');
    assert.equal(group.size, ref.lines.length, label);
    assert.deepEqual(pages(group, {}, now), all, `${label}: everything`);
    assert.deepEqual(pages(group, {limit: 37}, now), all, `${label}: pages of 37`);
    const from = ref.lines[Math.floor(ref.lines.length / 3)]?.ts ?? 0;
    assert.deepEqual(pages(group, {startTime: from, endTime: t - 2000, scanSpanMs: 700, limit: 50}, now), ref.all(from, t - 2000, ''), `${label}: slices`);
    assert.deepEqual(pages(group, {filterPattern: '?REPORT ?boom', limit: 100}, now), ref.all(0, now, '?REPORT ?boom'), `${label}: a pattern`);
  };
  for (let round = 0; round < 40; round++) {
    for (let n = 0; n < 400; n++) {
      t += rng.int(0, 40);
      const inv = invocation(rng, seq);
      const kinds = [LineKind.Start, inv.timedOut ? LineKind.Timeout : inv.error ? LineKind.Error : LineKind.App, LineKind.End, LineKind.Report];
      for (const kind of kinds) {
        const at = t + (kind === LineKind.Start && rng.chance(0.2) ? 25.5 : 0); // some lines stamped ahead
        group.add(at, seq, kind, inv);
        ref.insert({ts: Math.floor(at), seq, kind, inv});
        seq++;
      }
      if (rng.chance(0.01)) {
        const events = [{timestamp: t - rng.int(0, 30), message: `raw ${seq}`}];
        assert.equal(group.putRaw('mine', events, () => seq), true);
        ref.insert({ts: Math.floor(events[0]!.timestamp), seq, kind: LineKind.Raw, inv: mine, text: events[0]!.message});
        seq++;
      }
    }
    if (round % 3 === 2) {
      const before = t - rng.int(2000, 9000);
      group.expire(before);
      ref.expire(before);
    }
    if (round % 4 === 0) check(`round ${round}`);
  }
  check('end');
  assert.equal(group.putRaw('nobody', [{timestamp: t, message: 'x'}], () => seq), false);
  assert.equal(group.createStream(ref.lines.find((l) => l.kind !== LineKind.Raw)!.inv.stream), false, 'a stream of the model exists');
});
