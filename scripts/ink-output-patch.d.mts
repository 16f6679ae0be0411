/** [text replaced, its replacement, how many times the text must occur] for ink/build/output.js. */
export declare const inkOutputReplacements: ReadonlyArray<readonly [string, string, number]>;
