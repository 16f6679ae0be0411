// The colour a styled segment is drawn in: its own colour (the operator's; none in monochrome), else its role's
// or its tone's in the theme.
import type {Theme} from '../theme.tsx';
import type {Segment} from '../text.ts';

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
