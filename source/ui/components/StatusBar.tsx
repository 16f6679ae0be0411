// The bottom row: a flash message when there is one, else the key hints of the current view (taken
// from the binding table).
import React from 'react';
import {sanitizeText} from '../../domain/sanitize.ts';
import type {Flash, View} from '../../store/types.ts';
import {bindingsFor, hintApplies, keyLabel, type ActiveScope, type HintContext, type KeyBinding} from '../key-bindings.ts';
import {displayWidth, type Line} from '../text.ts';
import {StyledLine} from './StyledLine.tsx';
import {countRender} from '../render-probe.ts';

function hintLine(bindings: readonly KeyBinding[]): Line {
  const line: Line = [];
  for (const b of bindings) {
    if (line.length) line.push({text: '  '});
    line.push({text: keyLabel(b.keys[0]!), role: 'key', bold: true}, {text: ` ${b.hint}`, tone: 'muted'});
  }
  return line;
}

const lineWidth = (line: Line): number => line.reduce((n, s) => n + displayWidth(s.text), 0);

/** Key hints: help first, the view's own keys in table order, quit last (it is also on ctrl-c). When they
 * do not fit in `width`, the least important go first (priority 3, then 2), so a narrow terminal still
 * shows the keys that matter for this view. Hints of actions not possible now (cancel with nothing to
 * cancel) are left out. */
export function hintSegments(scope: ActiveScope, readOnly: boolean, width = Number.POSITIVE_INFINITY, context: HintContext = {}): Line {
  const hinted = bindingsFor(scope).filter((b) => b.hint && !(b.mutation && readOnly) && hintApplies(b, context));
  const ordered = [...hinted.filter((b) => b.intent === 'help'), ...hinted.filter((b) => b.intent !== 'help' && b.intent !== 'quit'), ...hinted.filter((b) => b.intent === 'quit')];
  for (const keep of [3, 2, 1]) {
    const line = hintLine(ordered.filter((b) => (b.priority ?? 3) <= keep));
    if (lineWidth(line) <= width || keep === 1) return line;
  }
  return [];
}

export interface StatusProps {
  scope: ActiveScope;
  flash: Flash | null;
  readOnly: boolean;
  right: string;
  width: number;
  hints?: HintContext;
}

export function statusLine(options: StatusProps): Line {
  const right: Line = options.right ? [{text: ` ${options.right}`, tone: 'muted'}] : [];
  const rightWidth = options.right ? displayWidth(options.right) + 1 : 0;
  let left: Line;
  if (options.flash) {
    const tone = options.flash.level === 'error' ? 'critical' : options.flash.level === 'warning' ? 'warning' : 'normal';
    left = [{text: options.flash.level === 'info' ? 'ℹ ' : '⚠ ', tone}, {text: sanitizeText(options.flash.text), tone, bold: true}];
  } else {
    left = hintSegments(options.scope, options.readOnly, Math.max(0, options.width - rightWidth), options.hints);
  }
  const leftWidth = lineWidth(left);
  if (leftWidth + rightWidth <= options.width) return [...left, {text: ' '.repeat(options.width - leftWidth - rightWidth)}, ...right];
  return left; // StyledLine cuts it to the width
}

/** Memoised: redraws only when its props change (not on clock ticks or syncing flips). */
export const StatusBar = React.memo(function StatusBar(props: StatusProps): React.JSX.Element {
  countRender('StatusBar');
  return <StyledLine line={statusLine(props)} width={props.width} />;
});
