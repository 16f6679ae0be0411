// The replacement build.mjs applies to Ink's useWindowSize() hook (ink/build/hooks/use-window-size.js), kept apart so
// a test can bundle Ink with and without it (test/unit/build/ink-window-size-patch.test.ts).
//
// The hook reads the terminal's size again in its effect, right after the first frame, and sets it as a new object
// whether it changed or not: a second render of the whole screen (Screen reads it), its layout and its frame built
// again for the size the first frame had just been drawn at, on the way to the first data. An equal size keeps the
// state object it has, so React bails out; a changed size (a resize) is set as before.
export const inkWindowSizeReplacements = [
  [
    '            setSize(getWindowSize(stdout));',
    `            const next = getWindowSize(stdout);
            setSize((size) => (size.columns === next.columns && size.rows === next.rows ? size : next));`,
    1,
  ],
];
