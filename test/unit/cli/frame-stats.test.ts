// LAMBDA_TOP_FRAME_STATS (bench/log-tail.mjs): the frame timer in source/ui/render-probe.ts closes a frame in the
// microtask after its first component render, records Ink's output time as inside the frame or deferred, and
// source/cli/frame-stats.ts writes the samples as JSON lines; unset, nothing is timed.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startFrameStats} from '../../../source/cli/frame-stats.ts';
import {countRender, frameTimer} from '../../../source/ui/render-probe.ts';

test('unset, nothing is timed', () => {
  assert.equal(startFrameStats({}), undefined);
  countRender('Screen');
  assert.equal(frameTimer.enabled, false);
  assert.equal(frameTimer.start, null);
});

test('a frame from its first render to the next microtask; Ink output inside it or deferred; written as JSON lines', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-frames-'));
  const file = path.join(dir, 'frames.jsonl');
  try {
    const onRender = startFrameStats({LAMBDA_TOP_FRAME_STATS: file});
    assert.ok(onRender);
    countRender('Screen');
    countRender('Header'); // the same frame
    onRender({renderTime: 1.5}); // Ink's output in the frame's turn
    await Promise.resolve();
    assert.equal(frameTimer.frames.length, 1);
    assert.ok(frameTimer.frames[0]!.ms >= 0);
    onRender({renderTime: 2.5}); // after the frame closed: deferred by the throttle
    assert.deepEqual(frameTimer.ink.map((i) => [i.ms, i.deferred]), [[1.5, false], [2.5, true]]);
    await new Promise((r) => setTimeout(r, 1200)); // the writer's once-a-second flush
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {kind: string; ms: number});
    assert.deepEqual(rows.map((r) => r.kind).sort(), ['frame', 'ink', 'ink']);
    assert.equal(frameTimer.frames.length, 0, 'written once');
  } finally {
    frameTimer.enabled = false;
    rmSync(dir, {recursive: true, force: true});
  }
});
