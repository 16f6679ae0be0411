/** Inclusive [first, last] code unit ranges tokenize takes one code unit at a time. */
export declare const SIMPLE_UNIT_RANGES: ReadonlyArray<readonly [number, number]>;
/** [text replaced, its replacement, how many times the text must occur] for @alcalzone/ansi-tokenize/build/tokenize.js. */
export declare const tokenizeReplacements: ReadonlyArray<readonly [string, string, number]>;
