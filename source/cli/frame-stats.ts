// LAMBDA_TOP_FRAME_STATS=<file>: the dashboard appends its frame timings (source/ui/render-probe.ts frameTimer)
// to <file> as JSON lines, once a second and at exit, for bench/log-tail.mjs. Unset (always, outside benchmarks),
// nothing is timed or written.
import {appendFileSync} from 'node:fs';
import {frameTimer, inkRendered} from '../ui/render-probe.ts';

/** Ink's `onRender` option when frame stats are asked for, else undefined. */
export function startFrameStats(env: NodeJS.ProcessEnv = process.env): ((metrics: {renderTime: number}) => void) | undefined {
  const file = env.LAMBDA_TOP_FRAME_STATS;
  if (!file) return undefined;
  frameTimer.enabled = true;
  const flush = () => {
    const lines = [...frameTimer.frames.map((f) => JSON.stringify({kind: 'frame', ...f})), ...frameTimer.ink.map((i) => JSON.stringify({kind: 'ink', ...i}))];
    frameTimer.frames = [];
    frameTimer.ink = [];
    if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
  };
  setInterval(flush, 1000).unref();
  process.once('exit', flush);
  return ({renderTime}) => inkRendered(renderTime);
}
