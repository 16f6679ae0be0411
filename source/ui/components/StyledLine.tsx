import React from 'react';
import {Box, Text} from 'ink';
import {useTheme, type Theme} from '../theme.tsx';
import {truncateLine, type Line, type Segment} from '../text.ts';

export function segmentColor(theme: Theme, seg: Segment): string | undefined {
  if (seg.color) return theme.color ? seg.color : undefined;
  if (seg.role) {
    switch (seg.role) {
      case 'jsonKey':
        return theme.json.key;
      case 'jsonString':
        return theme.json.string;
      case 'jsonNumber':
        return theme.json.number;
      case 'jsonLiteral':
        return theme.json.literal;
      case 'jsonPunct':
        return theme.json.punct;
      case 'accent':
        return theme.accent;
      case 'key':
        return theme.key;
    }
  }
  switch (seg.tone) {
    case 'ok':
      return theme.ok;
    case 'warning':
      return theme.warning;
    case 'critical':
      return theme.critical;
    case 'muted':
      return theme.muted;
    default:
      return undefined;
  }
}

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

/** A block of exactly `height` rows (padding with blank rows, cutting extra ones). */
export function Lines({lines, width, height}: {lines: Line[]; width: number; height?: number}): React.JSX.Element {
  const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
  const blanks = height === undefined ? 0 : Math.max(0, height - shown.length);
  return (
    // Rows are cut to the width already (StyledLine): clip vertically only, so Ink does not re-slice every
    // row by columns on each frame.
    <Box flexDirection="column" width={width} {...(height !== undefined ? {height} : {})} overflowY="hidden">
      {shown.map((line, i) => (
        <StyledLine key={i} line={line} width={width} />
      ))}
      {Array.from({length: blanks}, (_, i) => (
        <Text key={`b${i}`}> </Text>
      ))}
    </Box>
  );
}
