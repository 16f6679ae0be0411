// The one sanitiser every piece of untrusted text (message bodies, payloads, error messages, stack traces,
// log lines, queue/function names from the wire) passes before it reaches Ink.
//
// Visible forms, chosen to be readable and stable (sanitising twice gives the same text as once):
// - ESC and the other C0 controls become their Unicode "control pictures": ESC -> ␛, NUL -> ␀, BEL -> ␇, CR -> ␍ …,
//   DEL -> ␡. An escape sequence therefore shows as ␛ followed by the rest of the sequence as plain text
//   (`␛[31m`, `␛]8;;https://…␛\`), so the terminal never interprets it and the operator can see it was there.
// - Newline: kept when `multiline` (CRLF becomes LF), otherwise shown as ⏎.
// - Tab: expanded to `tabWidth` spaces (default 4).
// - C1 controls (U+0080–U+009F, incl. the 8-bit CSI U+009B), bidi controls, zero-width and other invisible
//   format characters, line/paragraph separators, tag characters and noncharacters become a visible escape:
//   `\u202e`, `\u009b`, `\u{e0041}`.
// - A lone surrogate (invalid UTF-16) becomes U+FFFD.
// Kept unchanged: printable text of every script, emoji (including ZWJ sequences and subdivision flags, whose
// joiners / tag characters are only kept in that position), variation selectors, combining marks.
//
// Linear in the input; with `maxLength` it stops early, so a 10 MB body costs what its first `maxLength` chars cost.
import {truncateToWidth} from './width.ts';

export interface SanitizeOptions {
  /** Keep newlines (default false: they show as ⏎). */
  multiline?: boolean;
  /** Spaces per tab (default 4). */
  tabWidth?: number;
  /** Cap on the output length in UTF-16 code units, ellipsis included. */
  maxLength?: number;
  /** Marker appended when `maxLength` cut the text (default '…'). */
  ellipsis?: string;
}

/** Shown for a newline in single-line mode. */
export const NEWLINE_MARK = '⏎';
const DEL_MARK = '␡';
const DEFAULT_TAB_WIDTH = 4;

// Any code unit that needs a look: controls, C1, the invisible/bidi format characters, noncharacters and
// all surrogates (pairs are fine but need checking). Text without any of these is returned as is.
const NEEDS_WORK = /[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]/;

const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** BMP code units (outside C0/surrogates) that are shown as an escape. */
function isEscapedBmp(c: number): boolean {
  return (
    (c >= 0x80 && c <= 0x9f) ||
    c === 0xad ||
    c === 0x61c ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb) ||
    c === 0xfffe ||
    c === 0xffff
  );
}

/** `\u202e` for the BMP, `\u{e0041}` beyond it. */
export function visibleEscape(codePoint: number): string {
  const hex = codePoint.toString(16);
  return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

function isPictographic(codePoint: number): boolean {
  if (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) return true; // skin tone modifiers
  if (codePoint === 0xfe0f) return true; // emoji presentation selector (❤️‍🔥)
  if (codePoint < 0xa9) return false;
  return EXTENDED_PICTOGRAPHIC.test(String.fromCodePoint(codePoint));
}

function codePointBefore(text: string, i: number): number {
  if (i <= 0) return -1;
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

function codePointAtSafe(text: string, i: number): number {
  if (i >= text.length) return -1;
  return text.codePointAt(i) ?? -1;
}

/** A zero-width joiner is kept only between two emoji (👩‍💻); elsewhere it is an invisible character. */
function isEmojiJoiner(text: string, i: number): boolean {
  const before = codePointBefore(text, i);
  const after = codePointAtSafe(text, i + 1);
  return before >= 0 && after >= 0 && isPictographic(before) && isPictographic(after);
}

/** Length of a valid subdivision-flag tag run after 🏴 at i (🏴 + tag letters/digits + CANCEL TAG), else 0. */
function flagTagLength(text: string, i: number): number {
  let j = i + 2;
  let count = 0;
  while (count <= 32 && text.charCodeAt(j) === 0xdb40) {
    const low = text.charCodeAt(j + 1);
    if ((low >= 0xdc30 && low <= 0xdc39) || (low >= 0xdc61 && low <= 0xdc7a)) {
      count++;
      j += 2;
      continue;
    }
    if (low === 0xdc7f && count > 0) return j + 2 - (i + 2);
    return 0;
  }
  return 0;
}

/** Removes what must not end a cut text: half a surrogate pair, a dangling joiner, an unfinished flag tag run. */
function safeCutEnd(text: string, end: number): number {
  let e = Math.max(0, Math.min(end, text.length));
  for (;;) {
    const last = text.charCodeAt(e - 1);
    if (e > 0 && last >= 0xd800 && last <= 0xdbff) {
      e -= 1;
      continue;
    }
    if (e > 0 && last === 0x200d) {
      e -= 1;
      continue;
    }
    if (e > 1 && last >= 0xdc00 && last <= 0xdc7f && text.charCodeAt(e - 2) === 0xdb40) {
      e -= 2; // part of a flag's tag run, cut short
      continue;
    }
    return e;
  }
}

/** Neutralises terminal controls and invisible characters in untrusted text. See the module comment. */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  if (typeof text !== 'string') text = String(text ?? '');
  const multiline = options.multiline === true;
  const maxLength = options.maxLength !== undefined && options.maxLength >= 0 ? Math.floor(options.maxLength) : Infinity;
  const ellipsis = options.ellipsis ?? '…';
  if (!NEEDS_WORK.test(text)) return text.length <= maxLength ? text : cut(text, maxLength, ellipsis);

  const tabWidth = Math.max(0, Math.min(16, Math.floor(options.tabWidth ?? DEFAULT_TAB_WIDTH)));
  const tab = ' '.repeat(tabWidth);
  const pieces: string[] = [];
  let outLength = 0;
  let runStart = 0;
  const n = text.length;
  // Stop a little past the cap so that the final cut has something to cut.
  const stopAt = maxLength === Infinity ? Infinity : maxLength + 16;
  let i = 0;
  let stoppedEarly = false;

  const emit = (upTo: number, replacement: string, next: number): void => {
    if (upTo > runStart) {
      pieces.push(text.slice(runStart, upTo));
      outLength += upTo - runStart;
    }
    pieces.push(replacement);
    outLength += replacement.length;
    runStart = next;
  };

  while (i < n) {
    if (outLength + (i - runStart) > stopAt) {
      stoppedEarly = true;
      break;
    }
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x0a) {
        if (multiline) i += 1;
        else {
          emit(i, NEWLINE_MARK, i + 1);
          i += 1;
        }
      } else if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
        emit(i, multiline ? '\n' : NEWLINE_MARK, i + 2);
        i += 2;
      } else if (c === 0x09) {
        emit(i, tab, i + 1);
        i += 1;
      } else {
        emit(i, String.fromCharCode(0x2400 + c), i + 1);
        i += 1;
      }
      continue;
    }
    if (c < 0x7f) {
      i += 1;
      continue;
    }
    if (c === 0x7f) {
      emit(i, DEL_MARK, i + 1);
      i += 1;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = (c - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        if (cp >= 0xe0000 && cp <= 0xe007f) {
          emit(i, visibleEscape(cp), i + 2);
        } else if (cp === 0x1f3f4) {
          i += 2 + flagTagLength(text, i); // 🏴 and, when well formed, its subdivision tags
          continue;
        } else if ((cp & 0xfffe) === 0xfffe) {
          emit(i, visibleEscape(cp), i + 2); // noncharacters U+1FFFE, U+1FFFF, …
        }
        i += 2;
        continue;
      }
      emit(i, '\ufffd', i + 1);
      i += 1;
      continue;
    }
    if (isEscapedBmp(c)) {
      if (c === 0x200d && isEmojiJoiner(text, i)) {
        i += 1;
        continue;
      }
      emit(i, visibleEscape(c), i + 1);
      i += 1;
      continue;
    }
    i += 1;
  }
  if (!stoppedEarly && runStart < n) {
    pieces.push(text.slice(runStart, n));
    outLength += n - runStart;
  } else if (stoppedEarly && runStart < i) {
    pieces.push(text.slice(runStart, i));
  }
  const out = pieces.join('');
  if (stoppedEarly || out.length > maxLength) return cut(out, maxLength, ellipsis);
  return out;
}

function cut(text: string, maxLength: number, ellipsis: string): string {
  if (maxLength <= ellipsis.length) return ellipsis.slice(0, Math.max(0, maxLength));
  return text.slice(0, safeCutEnd(text, maxLength - ellipsis.length)) + ellipsis;
}

/** One line for a table cell or a header: sanitised single-line, then cut to `maxWidth` terminal columns. */
export function sanitizeLine(text: string, maxWidth: number): string {
  const width = Math.max(0, Math.floor(maxWidth));
  // Cap the work on huge inputs: a column of width w never needs more than a few code units per column
  // (zero-width marks aside, whose excess is cut anyway).
  const clean = sanitizeText(text, {maxLength: width * 8 + 64});
  return truncateToWidth(clean, width);
}

/** Multi-line text (stack traces, payloads, log lines) for a scrolling pane: sanitised, newlines kept. */
export function sanitizeLines(text: string, options: Omit<SanitizeOptions, 'multiline'> = {}): string[] {
  return sanitizeText(text, {...options, multiline: true}).split('\n');
}

