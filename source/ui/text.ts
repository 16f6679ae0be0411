// Text layout for the UI: styled segments, wrapping by display width. All untrusted text is sanitised
// (domain/sanitize.ts) before it gets here; these helpers only measure and cut.
import {displayWidth, graphemes, padEndToWidth, truncateToWidth} from '../domain/width.ts';
import {simpleWidth} from '../domain/simple-width.ts';
import type {Tone} from './view-model.ts';

/** A run of text with one style. `tone` maps to a theme colour; `color` names a theme role directly. */
export interface Segment {
  text: string;
  tone?: Tone;
  role?: 'jsonKey' | 'jsonString' | 'jsonNumber' | 'jsonLiteral' | 'jsonPunct' | 'accent' | 'key';
  bold?: boolean;
  inverse?: boolean;
  /** A colour the operator chose (the config file's label colour): wins over tone and role, none in mono. */
  color?: string;
}

export type Line = Segment[];

export const lineWidth = (line: Line): number => line.reduce((n, s) => n + displayWidth(s.text), 0);

/** Cuts a styled line to `width` columns (an ellipsis marks the cut). */
export function truncateLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  const out: Line = [];
  let used = 0;
  for (const seg of line) {
    const w = displayWidth(seg.text);
    if (used + w < width) {
      out.push(seg);
      used += w;
      continue;
    }
    const room = width - used;
    if (room >= 1) out.push({...seg, text: truncateToWidth(seg.text, room - 1, '') + '…'});
    break;
  }
  return out;
}

/** Hard-wraps a styled line into lines of at most `width` columns, continuation lines indented by `indent`. */
export function wrapLine(line: Line, width: number, indent = 0): Line[] {
  const max = Math.max(1, width);
  if (lineWidth(line) <= max) return [line];
  const lines: Line[] = [];
  let current: Line = [];
  let used = 0;
  const pad = ' '.repeat(Math.min(indent, Math.max(0, max - 1)));
  const newLine = (): void => {
    lines.push(current);
    current = pad ? [{text: pad}] : [];
    used = pad.length;
  };
  for (const seg of line) {
    let buffer = '';
    for (const g of graphemes(seg.text)) {
      const w = displayWidth(g);
      if (used + w > max) {
        if (buffer) current.push({...seg, text: buffer});
        buffer = '';
        newLine();
      }
      buffer += g;
      used += w;
    }
    if (buffer) current.push({...seg, text: buffer});
  }
  if (current.length) lines.push(current);
  return lines;
}

/** Word-wraps plain text to `width` columns (long words are cut hard). */
export function wrapText(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    // The line's width while every word on it is simple text (simple-width.ts: one column count per code point, so
    // the width of `line word` is the sum of theirs and a space); -1 once one is not, then the joined text is
    // measured as a whole. Measuring each candidate anew made a paragraph's wrap quadratic in its length.
    let lineWidth = 0;
    for (const word of paragraph.split(/ +/)) {
      if (!word) continue;
      const simple = simpleWidth(word);
      const additive = simple >= 0 && lineWidth >= 0;
      const candidate = line ? `${line} ${word}` : word;
      const candidateWidth = additive ? (line ? lineWidth + 1 + simple : simple) : displayWidth(candidate);
      if (candidateWidth <= max) {
        line = candidate;
        lineWidth = additive ? candidateWidth : -1;
        continue;
      }
      if (line) out.push(line);
      if ((simple >= 0 ? simple : displayWidth(word)) <= max) {
        line = word;
        lineWidth = simple;
        continue;
      }
      // A word longer than the line: cut it into pieces.
      let piece = '';
      for (const g of graphemes(word)) {
        if (displayWidth(piece + g) > max) {
          out.push(piece);
          piece = '';
        }
        piece += g;
      }
      line = piece;
      lineWidth = simpleWidth(piece);
    }
    out.push(line);
  }
  return out;
}

/** Left- or right-aligned cell of exactly `width` columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = truncateToWidth(text, width);
  if (align === 'left') return padEndToWidth(cut, width);
  const missing = width - displayWidth(cut);
  return missing > 0 ? ' '.repeat(missing) + cut : cut;
}

export {displayWidth, truncateToWidth, padEndToWidth};
