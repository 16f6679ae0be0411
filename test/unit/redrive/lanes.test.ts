// The lanes of a queue redrive (source/redrive/lanes.ts), driven by hand with deferred promises: what overlaps
// (the next read beside a send, a settle beside the next send) and what never does (two sends of one lane, two
// settles of one lane, a send beyond the number of lanes), and that a batch read ahead is given back on failure.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runLanes, type LaneRead, type LaneSteps} from '../../../source/redrive/lanes.ts';
import {deferred} from '../../helpers/deferred.ts';

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Steps whose every call waits until the test releases it; records what ran and how many at once. */
function manual(batches: number) {
  const log: string[] = [];
  const waiting = new Map<string, ReturnType<typeof deferred<void>>>();
  let read = 0;
  let sends = 0;
  let settles = 0;
  let maxSends = 0;
  let maxSettles = 0;
  const released: number[] = [];
  const gate = async (name: string) => {
    const d = deferred<void>();
    waiting.set(name, d);
    log.push(`start ${name}`);
    await d.promise;
    log.push(`end ${name}`);
  };
  const steps: LaneSteps<number, number> = {
    readAhead: () => true,
    async read(): Promise<LaneRead<number>> {
      const n = ++read;
      await gate(`read${n}`);
      return n <= batches ? {kind: 'batch', batch: n} : {kind: 'stop'};
    },
    async send(b) {
      maxSends = Math.max(maxSends, ++sends);
      try {
        await gate(`send${b}`);
      } finally {
        sends--;
      }
      return b;
    },
    async settle(b) {
      maxSettles = Math.max(maxSettles, ++settles);
      try {
        await gate(`settle${b}`);
      } finally {
        settles--;
      }
    },
    async release(b) {
      released.push(b);
    },
  };
  const open = async (name: string) => {
    for (let i = 0; i < 50 && !waiting.has(name); i++) await tick();
    const d = waiting.get(name);
    assert.ok(d, `${name} never started; log: ${log.join(', ')}`);
    waiting.delete(name);
    d.resolve();
    await tick();
  };
  const fail = async (name: string, error: Error) => {
    for (let i = 0; i < 50 && !waiting.has(name); i++) await tick();
    waiting.get(name)!.reject(error);
    waiting.delete(name);
    await tick();
  };
  return {steps, log, open, fail, started: (name: string) => waiting.has(name), stats: () => ({maxSends, maxSettles, released})};
}

test('one lane reads the next batch while it sends, and deletes a batch while it sends the next', async () => {
  const m = manual(3);
  const done = runLanes(1, m.steps);
  await m.open('read1');
  // batch 1 is being sent, and batch 2 is already being read
  assert.ok(m.started('send1') && m.started('read2'), m.log.join(', '));
  await m.open('read2');
  assert.ok(!m.started('send2'), 'a lane sends its next batch only after the previous send returned');
  await m.open('send1');
  // settle 1 runs beside send 2; batch 3 is read ahead meanwhile
  assert.ok(m.started('settle1') && m.started('send2') && m.started('read3'), m.log.join(', '));
  await m.open('read3');
  await m.open('send2');
  assert.ok(!m.started('settle2'), 'a lane settles one batch at a time');
  await m.open('settle1');
  assert.ok(m.started('settle2'));
  await m.open('settle2');
  await m.open('read4'); // the read ahead during send 3 says stop
  await m.open('send3');
  await m.open('settle3');
  await done;
  assert.deepEqual(m.stats(), {maxSends: 1, maxSettles: 1, released: []});
});

test('N lanes never have more than N sends in flight', async () => {
  let sends = 0;
  let max = 0;
  let next = 0;
  await runLanes(3, {
    readAhead: () => true,
    read: async () => (++next <= 30 ? {kind: 'batch', batch: next} : {kind: 'stop'}),
    send: async (b) => {
      max = Math.max(max, ++sends);
      await tick();
      sends--;
      return b;
    },
    settle: async () => tick(),
    release: async () => undefined,
  });
  assert.equal(max, 3);
});

test('a failed send stops its lane: the batch read ahead is given back, the settle in progress finishes, the error is rethrown', async () => {
  const m = manual(5);
  const done = runLanes(1, m.steps).then(() => null, (error: Error) => error);
  await m.open('read1');
  await m.open('read2');
  await m.open('send1');
  await m.open('read3');
  // send 2 fails while settle 1 is still running and batch 3 was read ahead
  await m.fail('send2', new Error('boom'));
  assert.ok(m.started('settle1'));
  await m.open('settle1');
  assert.match(String(await done), /boom/);
  assert.deepEqual(m.stats().released, [3]);
});

test('retry reads again; stop ends the lane', async () => {
  const reads: Array<LaneRead<number>> = [{kind: 'retry'}, {kind: 'batch', batch: 7}, {kind: 'retry'}, {kind: 'stop'}];
  const sent: number[] = [];
  await runLanes(1, {
    readAhead: () => false,
    read: async () => reads.shift() ?? {kind: 'stop'},
    send: async (b) => (sent.push(b), b),
    settle: async () => undefined,
    release: async () => undefined,
  });
  assert.deepEqual(sent, [7]);
  assert.equal(reads.length, 0);
});

test('settleDepth: a lane goes on sending while up to that many settles wait (for the journal sync), never more', async () => {
  const m = manual(4);
  const done = runLanes(1, m.steps, 2);
  await m.open('read1');
  await m.open('read2');
  await m.open('send1');
  await m.open('read3');
  await m.open('send2');
  // settles 1 and 2 both under way, and send 3 goes ahead beside them
  assert.ok(m.started('settle1') && m.started('settle2') && m.started('send3'), m.log.join(', '));
  await m.open('read4');
  await m.open('send3');
  assert.ok(!m.started('settle3'), 'a third settle waits for one of the two under way');
  assert.ok(!m.started('send4'), 'and so does the next send');
  await m.open('settle2');
  assert.ok(m.started('settle3'));
  await m.open('read5');
  await m.open('send4');
  await m.open('settle1');
  await m.open('settle3');
  await m.open('settle4');
  await done;
  assert.equal(m.stats().maxSettles, 2);
  assert.equal(m.stats().maxSends, 1);
});

test('a failed settle stops its lane once the other settles under way are done, and is rethrown', async () => {
  let next = 0;
  const settled: number[] = [];
  const error = await runLanes<number, number>(1, {
    readAhead: () => false,
    read: async () => (++next <= 5 ? {kind: 'batch', batch: next} : {kind: 'stop'}),
    send: async (b) => b,
    settle: async (b) => {
      await tick();
      if (b === 2) throw new Error('delete exploded');
      settled.push(b);
    },
    release: async () => undefined,
  }, 3).then(() => null, (e: Error) => e);
  assert.match(String(error), /delete exploded/);
  assert.ok(!settled.includes(5), `no batch is sent after the failure is seen: ${settled}`);
});
