// One terminal row drawn as a single Ink text node: its styled segments joined into one string with their SGR
// codes (through chalk, as Ink's own <Text color bold inverse> does, so the colour level is the same), instead
// of one nested <Text> per segment. A failed-event row has about 17 segments: a list scroll or a clock tick that
// changes all 30 rows then reconciles, commits and squashes 30 nodes, not 500 (bench/browser.mjs, `j`).
import React, {memo} from 'react';
import chalk, {type ChalkInstance} from 'chalk';
import {Box, Text} from 'ink';
import {useTheme, type Theme} from '../theme.tsx';
import {truncateLine, type Line, type Segment} from '../text.ts';
import {segmentColor} from './segment-color.ts';

function styleOf(theme: Theme, seg: Segment): ChalkInstance | null {
  const color = segmentColor(theme, seg);
  const dim = !theme.color && seg.tone === 'muted';
  if (!color && !dim && !seg.bold && !seg.inverse) return null;
  // Outermost first: Ink's <Text> applies dim, then the colour, then bold, then inverse around the text.
  let style: ChalkInstance = chalk;
  if (seg.inverse) style = style.inverse;
  if (seg.bold) style = style.bold;
  if (color) style = color.startsWith('#') ? style.hex(color) : color in chalk ? (style[color as keyof ChalkInstance] as ChalkInstance) : style;
  if (dim) style = style.dim;
  return style;
}

/** Styles by theme, chalk's colour level (hex colours are resolved at that level when built) and style key: a
 * chalk style chain is a new builder object per property, and a refresh redraws a few hundred segments. */
const styles = new WeakMap<Theme, Map<string, ChalkInstance | null>>();

function cachedStyle(theme: Theme, key: string, seg: Segment): ChalkInstance | null {
  let byKey = styles.get(theme);
  if (byKey === undefined) styles.set(theme, (byKey = new Map()));
  const k = `${chalk.level}|${key}`;
  let style = byKey.get(k);
  if (style === undefined) {
    if (byKey.size >= 256) byKey.clear(); // the theme's colours and the operator's label colours: a few dozen
    style = styleOf(theme, seg);
    byKey.set(k, style);
  }
  return style;
}

/** The segments of a line (already cut to its width) as one string with SGR codes; adjacent segments of one
 * style share one run. */
export function ansiText(theme: Theme, line: Line): string {
  let out = '';
  let run = '';
  let runStyle: ChalkInstance | null = null;
  let runKey = '';
  for (const seg of line) {
    if (seg.text === '') continue;
    const key = `${segmentColor(theme, seg) ?? ''}|${!theme.color && seg.tone === 'muted' ? 1 : 0}|${seg.bold ? 1 : 0}|${seg.inverse ? 1 : 0}`;
    if (key === runKey) {
      run += seg.text;
      continue;
    }
    out += runStyle ? runStyle(run) : run;
    run = seg.text;
    runKey = key;
    runStyle = cachedStyle(theme, key, seg);
  }
  return out + (runStyle ? runStyle(run) : run);
}

/** One row of styled segments as one text node, never wider than `width` (StyledLine draws the same). With
 * `split`, a box of two text nodes: its first `split` segments (none when it has no more than that) and the rest.
 * The first is the part a clock tick changes (a row's age), so a tick re-measures and re-tokenises that short
 * text, not every whole row (the rest stays the same string, which Ink's caches already hold). Every row drawn
 * with a split has that same node structure, whatever it holds: a failed-event table whose filter changes how
 * many events are shown updates texts instead of replacing nodes (a single text node for a blank or message
 * row made each such key create and remove a box and its layout nodes per row: `createInstance` 2-14 ms of a key
 * in a CPU profile at 50,000 events). */
export function AnsiLine({line, width, split = 0}: {line: Line; width: number; split?: number}): React.JSX.Element {
  const theme = useTheme();
  const cut = truncateLine(line, width);
  if (split > 0) {
    const at = split < cut.length ? split : 0;
    const head = at > 0 ? ansiText(theme, cut.slice(0, at)) : '';
    const rest = ansiText(theme, at > 0 ? cut.slice(at) : cut);
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end">{head}</Text>
        <Text wrap="truncate-end">{rest === '' ? ' ' : rest}</Text>
      </Box>
    );
  }
  const text = ansiText(theme, cut);
  return <Text wrap="truncate-end">{text === '' ? ' ' : text}</Text>;
}

const sameSegment = (a: Segment, b: Segment): boolean =>
  a.text === b.text && a.tone === b.tone && a.role === b.role && a.bold === b.bold && a.inverse === b.inverse && a.color === b.color;

/** Do two rows draw the same? (A panel rebuilds its lines on each render; most rows come out unchanged.) */
export function sameRow(a: {line: Line; width: number; split?: number}, b: {line: Line; width: number; split?: number}): boolean {
  if (a.line === b.line) return a.width === b.width && a.split === b.split;
  if (a.width !== b.width || a.split !== b.split || a.line.length !== b.line.length) return false;
  for (let i = 0; i < a.line.length; i++) if (!sameSegment(a.line[i]!, b.line[i]!)) return false;
  return true;
}

/** AnsiLine drawn again only when its text or style changed. */
export const Row = memo(AnsiLine, sameRow);
