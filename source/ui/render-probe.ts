// A test-only probe: components count their renders here while `enabled` is set, so tests can prove that
// a clock tick or a syncing flip redraws the header and not the panels. Off, it costs one branch per render.
//
// The frame timer (for bench/log-tail.mjs, on with LAMBDA_TOP_FRAME_STATS): a frame's work, from the first
// component render of an update to the microtask after it (React renders and commits a store update in one
// microtask: that span holds React's render and commit, Yoga's layout, and Ink's output when its frame throttle
// did not defer it). Ink's own output time is recorded apart (`ink`), with whether it ran inside the frame or
// later (deferred by the throttle). Off, one branch.
export const renderProbe = {
  enabled: false,
  counts: {} as Record<string, number>,
  reset(): void {
    this.counts = {};
  },
};

export interface FrameSample {
  /** Wall time (epoch ms) the frame started. */
  at: number;
  /** Synchronous ms of the frame's turn. */
  ms: number;
}

export const frameTimer = {
  enabled: false,
  frames: [] as FrameSample[],
  ink: [] as Array<{at: number; ms: number; deferred: boolean}>,
  start: null as number | null,
};

function closeFrame(): void {
  if (frameTimer.start === null) return;
  frameTimer.frames.push({at: Date.now() - (performance.now() - frameTimer.start), ms: performance.now() - frameTimer.start});
  frameTimer.start = null;
}

/** Ink's onRender callback while the frame timer is on. */
export function inkRendered(renderTime: number): void {
  if (frameTimer.enabled) frameTimer.ink.push({at: Date.now(), ms: renderTime, deferred: frameTimer.start === null});
}

export function countRender(name: string): void {
  if (renderProbe.enabled) renderProbe.counts[name] = (renderProbe.counts[name] ?? 0) + 1;
  if (frameTimer.enabled && frameTimer.start === null) {
    frameTimer.start = performance.now();
    queueMicrotask(closeFrame);
  }
}
