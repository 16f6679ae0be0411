// Terminal display width: CJK and most emoji take two columns, combining marks none. Cutting and padding
// work on grapheme clusters (Intl.Segmenter), so a surrogate pair, an emoji ZWJ sequence or a letter with its
// accents is never split. Feed these sanitised text (see sanitize.ts): control characters have no width here.
import stringWidth from 'string-width';
import {simpleWidth} from './simple-width.ts';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
let graphemeSegmenter: Intl.Segmenter | undefined;
/** Made on first use: most text here is ASCII or simple (simple-width.ts) and needs none. */
const segmenter = (): Intl.Segmenter => (graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'}));

/** Columns the text takes in a terminal. */
export function displayWidth(text: string): number {
  if (text.length === 0) return 0;
  if (PRINTABLE_ASCII.test(text)) return text.length;
  const simple = simpleWidth(text);
  return simple >= 0 ? simple : stringWidth(text);
}

/** Grapheme clusters of the text, in order. */
export function graphemes(text: string): string[] {
  const out: string[] = [];
  for (const {segment} of segmenter().segment(text)) out.push(segment);
  return out;
}

/** Each code unit of a simple text (simple-width.ts) is a grapheme cluster of its own. */
function* simpleSegments(text: string): Generator<{segment: string; index: number}> {
  for (let index = 0; index < text.length; index++) yield {segment: text[index]!, index};
}

/**
 * Cuts the text to at most `width` columns, ending with `ellipsis` when something was cut. Never splits a
 * grapheme cluster; a wide character that does not fit is left out whole (the result may be one column short).
 */
export function truncateToWidth(text: string, width: number, ellipsis = '…'): string {
  const max = Math.floor(width);
  if (!(max > 0)) return '';
  if (PRINTABLE_ASCII.test(text)) {
    if (text.length <= max) return text;
    const ew = displayWidth(ellipsis);
    if (ew > max) return truncateToWidth(ellipsis, max, '');
    return text.slice(0, max - ew) + ellipsis;
  }
  const ew = displayWidth(ellipsis);
  const room = max - ew; // columns left for text when an ellipsis is needed
  let used = 0;
  let cutAt = 0; // end index of the text that fits beside the ellipsis
  for (const {segment, index} of simpleWidth(text) >= 0 ? simpleSegments(text) : segmenter().segment(text)) {
    const w = segmentWidth(segment);
    if (used + w > max) {
      if (ew > max) return truncateToWidth(ellipsis, max, '');
      return text.slice(0, cutAt) + ellipsis;
    }
    used += w;
    if (used <= room) cutAt = index + segment.length;
  }
  return text;
}

function segmentWidth(segment: string): number {
  if (segment.length === 1) {
    const c = segment.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) return 1;
  }
  const simple = simpleWidth(segment);
  return simple >= 0 ? simple : stringWidth(segment);
}

/** Pads with spaces on the right up to `width` columns (never cuts: see fitToWidth). */
export function padEndToWidth(text: string, width: number): string {
  const missing = Math.floor(width) - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Pads with spaces on the left up to `width` columns (never cuts). */
export function padStartToWidth(text: string, width: number): string {
  const missing = Math.floor(width) - displayWidth(text);
  return missing > 0 ? ' '.repeat(missing) + text : text;
}

/** Exactly `width` columns: cut with an ellipsis when too wide, padded on the right when too narrow. */
export function fitToWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncateToWidth(text, width);
  return align === 'left' ? padEndToWidth(cut, width) : padStartToWidth(cut, width);
}
