// A styled line drawn as nested Ink <Text> nodes, one per segment (StyledLine: the reference AnsiLine is tested
// against, and the few single rows that keep it), and Lines: a block of rows drawn as one text node each.
import React from 'react';
import {Box, Text} from 'ink';
import {useTheme} from '../theme.tsx';
import {truncateLine, type Line} from '../text.ts';
import {Row} from './AnsiLine.tsx';
import {segmentColor} from './segment-color.ts';

export {segmentColor} from './segment-color.ts';

/** One terminal row of styled segments, never wider than `width`. */
export function StyledLine({line, width}: {line: Line; width: number}): React.JSX.Element {
  const theme = useTheme();
  const cut = truncateLine(line, width);
  if (cut.length === 0 || cut.every((s) => s.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {cut.map((seg, i) => (
        <Text
          key={i}
          color={segmentColor(theme, seg)}
          dimColor={!theme.color && seg.tone === 'muted'}
          bold={seg.bold ?? false}
          inverse={seg.inverse ?? false}
        >
          {seg.text}
        </Text>
      ))}
    </Text>
  );
}

/** A block of exactly `height` rows (padding with blank rows, cutting extra ones). Each row is one text node
 * (AnsiLine: the same frame as StyledLine) drawn again only when its segments changed: a refresh that moves
 * a panel's sparklines reconciles, commits and squashes one node per changed row, not one per segment, and
 * leaves the unchanged rows alone. */
export function Lines({lines, width, height}: {lines: Line[]; width: number; height?: number}): React.JSX.Element {
  const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
  const blanks = height === undefined ? 0 : Math.max(0, height - shown.length);
  return (
    // Rows are cut to the width already (StyledLine): clip vertically only, so Ink does not re-slice every
    // row by columns on each frame.
    <Box flexDirection="column" width={width} {...(height !== undefined ? {height} : {})} overflowY="hidden">
      {shown.map((line, i) => (
        <Row key={i} line={line} width={width} />
      ))}
      {Array.from({length: blanks}, (_, i) => (
        <Text key={`b${i}`}> </Text>
      ))}
    </Box>
  );
}
