// The replacements build.mjs applies to Ink's output step (ink/build/output.js), kept apart so a test can bundle
// Ink's output.js with and without them and compare the frames (test/unit/build/ink-output-patch.test.ts).
//
// Ink's output step builds each frame from scratch: every write is tokenised into styled characters, turned back
// into strings, tokenised again, copied into a fresh grid of cell objects (120x40 here), and each row is turned
// into a string again: about 2 MB of garbage per frame, although a dashboard frame is mostly the rows of the
// previous one (bench/dashboard.mjs, idle). The changes below are each a pure function of their input, so every
// frame is the same as before:
//  - one set of caches across frames (a line's styled characters, its split lines, widths), holding what the
//    last two to four frames wrote: an entry not looked up for a generation of two frames is dropped (a cache
//    cleared only past 1,500 distinct lines held up to 5 MB of styled characters in an idle dashboard, whose
//    refreshes each write a few dozen new lines: its heap grew for minutes, then dropped);
//  - a string is split into styled characters in one pass (Ink maps, then filters out standalone invisible
//    characters with a regular expression created anew for each character), and characters of the same style
//    share one styles array, across texts (the library gives each character its own copy; nothing mutates them),
//    so comparing neighbours is mostly an identity check; a text of one line is not copied line by line;
//  - the escape codes between two styles (ansi-tokenize builds three Sets and three arrays per change of style)
//    are kept per pair of styles arrays, in weak maps: the same strings, built once;
//  - one grid of rows kept across frames of the same size, refilled with one shared, frozen blank cell, instead
//    of a fresh grid of fresh cells per frame (a fresh grid when a write reached left of column 0, which leaves
//    a property on the row, or after the size changed);
//  - a row whose cells are the same objects as in the previous frame reuses that row's string, compared in place
//    (no filtered copy of an unchanged row); a changed row keeps a copy of its cells for the next comparison.
export const inkOutputReplacements = [
  ['caches = new OutputCaches();', 'caches = sharedOutputCaches();', 1],
  [
    "import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
    `import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, } from '@alcalzone/ansi-tokenize';
const defaultIgnorable = /^\\p{Default_Ignorable_Code_Point}+$/u;
// A character below U+00AD (the first default-ignorable code point) is visible without asking the expression:
// most of a dashboard's characters.
const ignorable = (value) => (value.length === 1 && value.charCodeAt(0) < 0xad ? false : defaultIgnorable.test(value));
// One styles array per distinct style (the same codes, so the same escapes wherever it is written): cells of
// different texts then share it, and the codes between two styles are looked up, not computed, on a new text too.
// Cleared whole past a few hundred styles (arrays already in cells stay valid, just not shared).
let internedStyles = new Map();
const internStyles = (codes) => {
    let key = '';
    for (let i = 0; i < codes.length; i++) {
        key += codes[i].code + '\\u0000' + codes[i].endCode + '\\u0001';
    }
    let styles = internedStyles.get(key);
    if (styles === undefined) {
        if (internedStyles.size >= 512) {
            internedStyles = new Map();
        }
        styles = [...codes];
        internedStyles.set(key, styles);
    }
    return styles;
};
// styledCharsFromTokens of @alcalzone/ansi-tokenize and Ink's filter of standalone invisible characters in one
// pass, with the styles arrays interned.
const visibleStyledChars = (tokens) => {
    let codes = [];
    let styles;
    const ret = [];
    for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        if (token.type === 'ansi') {
            codes = reduceAnsiCodesIncremental(codes, [token]);
            styles = undefined;
        }
        else if (token.type === 'char' && !ignorable(token.value)) {
            // The token is this call's own (tokenize made it for this text): it becomes the styled character,
            // with the same fields in the same order as a copy would have, instead of a second object per character.
            token.styles = (styles ??= internStyles(codes));
            ret.push(token);
        }
    }
    return ret;
};
const isSameStyle = (from, to) => {
    if (from === to)
        return true;
    if (from.length !== to.length)
        return false;
    for (let i = 0; i < from.length; i++) {
        if (from[i].code !== to[i].code || from[i].endCode !== to[i].endCode) {
            return false;
        }
    }
    return true;
};
const NO_STYLES = [];
const openCodes = new WeakMap();
const opening = (styles) => {
    let text = openCodes.get(styles);
    if (text === undefined) {
        text = ansiCodesToString(styles);
        openCodes.set(styles, text);
    }
    return text;
};
const diffCodes = new WeakMap();
const transition = (from, to) => {
    let byTo = diffCodes.get(from);
    if (byTo === undefined) {
        byTo = new WeakMap();
        diffCodes.set(from, byTo);
    }
    let text = byTo.get(to);
    if (text === undefined) {
        text = ansiCodesToString(diffAnsiCodes(from, to));
        byTo.set(to, text);
    }
    return text;
};
// styledCharsToString of @alcalzone/ansi-tokenize, with the codes between two styles looked up.
const styledCharsToString = (chars) => {
    let ret = '';
    for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (i === 0) {
            ret += opening(char.styles);
        }
        else if (!isSameStyle(chars[i - 1].styles, char.styles)) {
            ret += transition(chars[i - 1].styles, char.styles);
        }
        ret += char.value;
        if (i === chars.length - 1) {
            ret += transition(char.styles, NO_STYLES);
        }
    }
    return ret;
};`,
    1,
  ],
  [
    `class OutputCaches {
    widths = new Map();
    blockWidths = new Map();
    styledChars = new Map();`,
    `// Entries of this generation and the one before: one looked up again moves to this one, one not looked up for a
// whole generation is dropped with the generation before.
class FrameMap {
    current = new Map();
    previous = new Map();
    get(key) {
        let value = this.current.get(key);
        if (value === undefined) {
            value = this.previous.get(key);
            if (value !== undefined) {
                this.current.set(key, value);
            }
        }
        return value;
    }
    set(key, value) {
        this.current.set(key, value);
    }
    nextGeneration() {
        this.previous = this.current;
        this.current = new Map();
    }
}
class OutputCaches {
    widths = new FrameMap();
    blockWidths = new FrameMap();
    styledChars = new FrameMap();
    nextGeneration() {
        this.widths.nextGeneration();
        this.blockWidths.nextGeneration();
        this.styledChars.nextGeneration();
        this.lines.nextGeneration();
    }`,
    1,
  ],
  [
    `            cached = styledCharsFromTokens(tokenize(line)).filter(character => !/^\\p{Default_Ignorable_Code_Point}+$/u.test(character.value));`,
    '            cached = visibleStyledChars(tokenize(line));',
    1,
  ],
  [
    '    getStringWidth(text) {',
    `    lines = new FrameMap();
    getLines(text) {
        let cached = this.lines.get(text);
        if (cached === undefined && !text.includes('\\n')) {
            // One line (no newline, so no newline character): its characters as they are.
            cached = [styledCharsToString(this.getStyledChars(text))];
            this.lines.set(text, cached);
        }
        if (cached === undefined) {
            const characterLines = [[]];
            for (const character of this.getStyledChars(text)) {
                if (character.value === '\\n') {
                    characterLines.push([]);
                }
                else {
                    characterLines.at(-1).push(character);
                }
            }
            cached = characterLines.map(line => styledCharsToString(line));
            this.lines.set(text, cached);
        }
        return cached;
    }
    getStringWidth(text) {`,
    1,
  ],
  [
    `        const characterLines = [[]];
        for (const character of this.caches.getStyledChars(text)) {
            if (character.value === '\\n') {
                characterLines.push([]);
            }
            else {
                characterLines.at(-1).push(character);
            }
        }
        let lines = characterLines.map(line => styledCharsToString(line));`,
    '        let lines = this.caches.getLines(text);',
    1,
  ],
  // Indexed loops: the idle dashboard's frames run in V8's interpreter, where each for-of allocates an iterator and
  // each [index, line] of entries() an array, for every line of every write of every frame.
  [
    '        for (let [index, line] of lines.entries()) {',
    `        if (x < 0) {
            gridTainted = true;
        }
        for (let index = 0; index < lines.length; index++) {
            let line = lines[index];`,
    1,
  ],
  [
    `            for (const transformer of transformers) {
                line = transformer(line, index + y - operation.y);
            }`,
    `            for (let t = 0; t < transformers.length; t++) {
                line = transformers[t](line, index + y - operation.y);
            }`,
    1,
  ],
  [
    `            for (const character of characters) {
                currentLine[offsetX] = character;`,
    `            for (let c = 0; c < characters.length; c++) {
                const character = characters[c];
                currentLine[offsetX] = character;`,
    1,
  ],
  [
    `        for (const operation of this.operations) {`,
    `        for (let o = 0; o < this.operations.length; o++) {
            const operation = this.operations[o];`,
    1,
  ],
  [
    'export default class Output {',
    `let sharedCaches;
let outputsInGeneration = 0;
// A generation is two outputs: two frames, or one render with a <Static> part (Ink builds an output for each).
const OUTPUTS_PER_GENERATION = 2;
const sharedOutputCaches = () => {
    if (sharedCaches === undefined) {
        sharedCaches = new OutputCaches();
    }
    else if (++outputsInGeneration >= OUTPUTS_PER_GENERATION) {
        outputsInGeneration = 0;
        sharedCaches.nextGeneration();
    }
    return sharedCaches;
};
const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
let grid = [];
let gridWidth = -1;
let gridTainted = false;
// As many cells as Ink's loops make (\`for (let x = 0; x < width; x++)\`), for a fractional or odd size too.
const cellCount = (size) => (size > 0 ? Math.ceil(size) : 0);
const blankGrid = (computedWidth, computedHeight) => {
    const width = cellCount(computedWidth);
    const height = cellCount(computedHeight);
    if (gridTainted || width !== gridWidth) {
        grid = [];
        gridWidth = width;
        gridTainted = false;
    }
    grid.length = Math.min(grid.length, height);
    for (const row of grid) {
        row.length = width;
        row.fill(BLANK_CELL);
    }
    while (grid.length < height) {
        grid.push(new Array(width).fill(BLANK_CELL));
    }
    return grid;
};
let previousRows = [];
// The row's cells without holes (a write past the end leaves some), as Ink filters them, against the previous frame's.
const sameCells = (previous, cells) => {
    let j = 0;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells[i];
        if (cell === undefined) {
            continue;
        }
        if (j >= previous.length || previous[j] !== cell) {
            return false;
        }
        j++;
    }
    return j === previous.length;
};
const rowText = (cells, y) => {
    const previous = previousRows[y];
    if (previous !== undefined && sameCells(previous.cells, cells)) {
        return previous.text;
    }
    const filtered = cells.filter(item => item !== undefined);
    const text = styledCharsToString(filtered).trimEnd();
    previousRows[y] = { cells: filtered, text };
    return text;
};
export default class Output {`,
    1,
  ],
  [
    `        const output = [];
        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);
        }`,
    '        const output = blankGrid(this.width, this.height);',
    1,
  ],
  [
    `        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`,
    `        let generatedOutput = '';
        for (let y = 0; y < output.length; y++) {
            generatedOutput += y === 0 ? rowText(output[y], y) : '\\n' + rowText(output[y], y);
        }`,
    1,
  ],
];
