// Draws the frame a dispatch has just scheduled now, not at the end of Ink's throttle window: Ink draws at most
// one frame per 1000/maxFps ms (leading and trailing edge), so a result that arrives a few milliseconds after
// a key's frame (the filter's payload search, ended after that frame) would wait for the rest of the window.
// The terminal's owner (cli/run-dashboard.tsx) sets how: Ink's waitUntilRenderFlush, which flushes a pending
// throttled frame (and draws none when nothing is pending: an idle screen draws no more frames than before).
let flush: (() => void) | null = null;

export function setDrawNow(fn: (() => void) | null): void {
  flush = fn;
}

/** Draws a pending frame at once (nothing when no terminal owner set one, or nothing is pending). */
export function drawNow(): void {
  flush?.();
}
