/** [text replaced, its replacement, how many times the text must occur] for ink/build/hooks/use-window-size.js. */
export declare const inkWindowSizeReplacements: ReadonlyArray<readonly [string, string, number]>;
