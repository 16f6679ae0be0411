import {displayWidth} from '../../domain/width.ts';
import type {Line, Segment} from '../text.ts';
import {cellText, type Cell, type Tone} from '../view-model.ts';

/** "Pipeline  last complete minute · 1h ─────────" — the focused panel's title is drawn inverse. */
export function titleLine(title: string, subtitle: string, width: number, focused: boolean): Line {
  const head: Segment = focused ? {text: ` ${title} `, inverse: true, bold: true, role: 'accent'} : {text: title, bold: true, role: 'accent'};
  const sub: Segment = {text: subtitle ? ` ${subtitle} ` : ' ', tone: 'muted'};
  const used = displayWidth(head.text) + displayWidth(sub.text);
  return [head, sub, {text: '─'.repeat(Math.max(0, width - used)), tone: 'muted'}];
}

/** The segment for a value cell: loading and unknown are muted, values carry their tone. */
export function cellSegment(c: Cell, text?: string): Segment {
  const t = text ?? cellText(c);
  if (c.kind === 'value') return {text: t, tone: c.tone, bold: c.tone === 'critical'};
  return {text: t, tone: 'muted'};
}

export const toneOf = (c: Cell): Tone => (c.kind === 'value' ? c.tone : 'muted');
