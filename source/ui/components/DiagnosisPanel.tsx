// Findings in plain words, worst first: severity icon and colour, title, detail wrapped under it.
import React from 'react';
import {sanitizeText} from '../../domain/sanitize.ts';
import type {Finding} from '../../domain/types.ts';
import {displayWidth, wrapText, type Line} from '../text.ts';
import {SEVERITY_ICON, SEVERITY_RANK} from '../theme.tsx';
import type {Tone} from '../view-model.ts';
import {titleLine} from './panel.ts';
import {Lines} from './StyledLine.tsx';
import {countRender} from '../render-probe.ts';

export function rankFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({f, i}))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}

const toneFor = (f: Finding): Tone => (f.severity === 'critical' ? 'critical' : f.severity === 'warning' ? 'warning' : 'normal');

/** `text` ending in " …" within `width`, cut between words: a number is never cut ("Lost: 2…" of "Lost: 20"). */
function cutAtWord(text: string, width: number): string {
  const words = text.split(' ');
  while (words.length > 1 && displayWidth(`${words.join(' ')} …`) > width) words.pop();
  return `${words.join(' ')} …`;
}

/** A finding's lines at a width: its title and detail, sanitised and wrapped. */
function buildFindingBlock(f: Finding, width: number): Line[] {
  const tone = toneFor(f);
  const title = wrapText(sanitizeText(f.title), width - 3);
  const detail = wrapText(sanitizeText(f.detail, {multiline: true}), width - 3);
  return [
    ...title.map((t, j): Line => (j === 0 ? [{text: ` ${SEVERITY_ICON[f.severity]} `, tone}, {text: t, tone, bold: true}] : [{text: '   '}, {text: t, tone, bold: true}])),
    ...detail.map((t): Line => [{text: '   '}, {text: t, tone: 'muted'}]),
  ];
}

// Each refresh lays the panel out (its full height and its first finding's, DashboardBody) and draws it: three
// passes over the same findings, and most findings read the same from one refresh to the next. Their wrapped
// lines are kept by what they are made of (severity, title, detail, width), for the findings of the last two
// generations of lookups (a generation ends once the newer map holds BLOCK_GENERATION entries). Shared lines are
// never changed by their users (diagnosisLines copies what it cuts).
const BLOCK_GENERATION = 64;
let blocks = new Map<string, Line[]>();
let olderBlocks = new Map<string, Line[]>();

function findingBlock(f: Finding, width: number): Line[] {
  const key = `${width}\u0000${f.severity}\u0000${f.title}\u0000${f.detail}`;
  let block = blocks.get(key);
  if (block !== undefined) return block;
  block = olderBlocks.get(key) ?? buildFindingBlock(f, width);
  if (blocks.size >= BLOCK_GENERATION) {
    olderBlocks = blocks;
    blocks = new Map();
  }
  blocks.set(key, block);
  return block;
}

/** Lines for the findings from `scroll` on, fitted to `height` (with a "more" line when cut). */
export function diagnosisLines(
  findings: Finding[],
  width: number,
  options: {height?: number; scroll: number; focused: boolean; state: 'loading' | 'ready' | 'no-data'},
): Line[] {
  const ranked = rankFindings(findings);
  const counts = (['critical', 'warning', 'info'] as const)
    .map((s) => [s, ranked.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(' · ');
  const lines: Line[] = [titleLine('Diagnosis', counts, width, options.focused)];
  if (options.state === 'loading') {
    lines.push([{text: ' loading…', tone: 'muted'}]);
    return lines;
  }
  if (options.state === 'no-data' && ranked.length === 0) {
    lines.push([{text: ' nothing to diagnose: neither the configuration nor the metrics could be read', tone: 'warning'}]);
    return lines;
  }
  if (ranked.length === 0) {
    lines.push([{text: ' ✓ ', tone: 'ok'}, {text: 'nothing wrong found in the data so far', tone: 'ok'}]);
    return lines;
  }
  const scroll = Math.max(0, Math.min(options.scroll, ranked.length - 1));
  const budget = options.height === undefined ? Infinity : options.height - 1;
  const body: Line[] = [];
  let shown = 0;
  for (let i = scroll; i < ranked.length; i++) {
    const block = findingBlock(ranked[i]!, width);
    const remainingAfter = ranked.length - i - 1;
    const reserve = remainingAfter > 0 ? 1 : 0;
    if (body.length + block.length + reserve > budget) {
      // The first finding shown keeps as much of its advice as fits (cut with "…"; focus and j/k show the rest);
      // a later one shows at least its title.
      const room = budget - body.length - reserve;
      if (body.length === 0 && room > 1) {
        const cut = block.slice(0, room);
        const last = cut[cut.length - 1]!;
        const tail = last[last.length - 1]!;
        cut[cut.length - 1] = [...last.slice(0, -1), {...tail, text: cutAtWord(tail.text, width - 3)}];
        body.push(...cut);
        shown++;
      } else if (room >= 1) {
        body.push(block[0]!);
        shown++;
      }
      break;
    }
    body.push(...block);
    shown++;
  }
  lines.push(...body);
  const hidden = ranked.length - scroll - shown;
  if (hidden > 0 || scroll > 0) {
    const parts: string[] = [];
    if (scroll > 0) parts.push(`↑ ${scroll} above`);
    if (hidden > 0) parts.push(`↓ ${hidden} more`);
    parts.push(options.focused ? 'j/k scroll' : 'tab to focus, j/k scroll');
    if (lines.length < (options.height ?? Infinity) || options.height === undefined) lines.push([{text: ` ${parts.join(' · ')}`, tone: 'muted'}]);
    else lines[lines.length - 1] = [{text: ` ${parts.join(' · ')}`, tone: 'muted'}];
  }
  return lines;
}

/** Memoised: redraws only when its props change (not on clock ticks or syncing flips). */
export const DiagnosisPanel = React.memo(function DiagnosisPanel(props: {
  findings: Finding[];
  width: number;
  height?: number;
  scroll: number;
  focused: boolean;
  state: 'loading' | 'ready' | 'no-data';
}): React.JSX.Element {
  countRender('DiagnosisPanel');
  const lines = diagnosisLines(props.findings, props.width, props);
  return <Lines lines={lines} width={props.width} {...(props.height !== undefined ? {height: props.height} : {})} />;
});
