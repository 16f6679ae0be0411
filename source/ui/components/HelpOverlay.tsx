// Help, generated from the binding table (so it cannot drift from what the keys do), laid out in as
// many columns as the terminal is wide enough for.
import React from 'react';
import {Box} from 'ink';
import type {View} from '../../store/types.ts';
import {KEY_BINDINGS, SCOPE_TITLES, bindingLabel, type Scope} from '../key-bindings.ts';
import {cell, wrapText, type Line} from '../text.ts';
import {titleLine} from './panel.ts';
import {Lines} from './StyledLine.tsx';

const SCOPE_ORDER: Scope[] = ['any', 'main', 'dashboard', 'failed', 'filter', 'detail', 'logs', 'confirm', 'confirm-type', 'redrive', 'picker', 'help'];

/** One block of lines per scope: a title, then "keys  description" rows. */
export function helpBlocks(readOnly: boolean, columnWidth: number, first?: View): Line[][] {
  const order = first ? [first as Scope, ...SCOPE_ORDER.filter((s) => s !== first)] : SCOPE_ORDER;
  const keyWidth = Math.min(16, Math.max(...KEY_BINDINGS.map((b) => bindingLabel(b).length)) + 1);
  const blocks: Line[][] = [];
  for (const scope of order) {
    // Each binding is listed once, under its first scope.
    const bindings = KEY_BINDINGS.filter((b) => b.scopes[0] === scope);
    if (bindings.length === 0) continue;
    const block: Line[] = [[{text: SCOPE_TITLES[scope], bold: true, role: 'accent'}]];
    for (const b of bindings) {
      const disabled = b.mutation && readOnly;
      const scopesNote = b.scopes.length > 1 ? ` (also ${b.scopes.slice(1).map((s) => SCOPE_TITLES[s].toLowerCase()).join(', ')})` : '';
      const description = b.description + scopesNote + (disabled ? ' [read-only: disabled]' : '');
      const wrapped = wrapText(description, Math.max(8, columnWidth - keyWidth - 2));
      wrapped.forEach((text, i) => {
        block.push([
          {text: ' ' + cell(i === 0 ? bindingLabel(b) : '', keyWidth), role: 'key', bold: true},
          {text, tone: disabled ? 'muted' : 'normal'},
        ]);
      });
    }
    blocks.push(block);
  }
  return blocks;
}

export function helpColumns(width: number, height: number, readOnly: boolean, first?: View): Line[][] {
  const columnCount = Math.max(1, Math.min(3, Math.floor(width / 56)));
  const columnWidth = Math.floor((width - (columnCount - 1) * 2) / columnCount);
  const blocks = helpBlocks(readOnly, columnWidth, first);
  const total = blocks.reduce((n, b) => n + b.length + 1, 0);
  const target = Math.max(height, Math.ceil(total / columnCount));
  const columns: Line[][] = [[]];
  for (const block of blocks) {
    let column = columns[columns.length - 1]!;
    if (column.length > 0 && column.length + block.length > target && columns.length < columnCount) {
      column = [];
      columns.push(column);
    }
    if (column.length > 0) column.push([]);
    column.push(...block);
  }
  return columns;
}

export interface HelpLayout {
  columns: Line[][];
  columnWidth: number;
  /** Rows for the keys (below the title). */
  bodyHeight: number;
  /** Lines of the tallest column. */
  contentHeight: number;
  /** Last scroll offset: the help scrolls (j/k, pgup/pgdn) when it does not fit. */
  maxScroll: number;
}

export function helpLayout(width: number, height: number, readOnly: boolean, returnView: View): HelpLayout {
  const bodyHeight = Math.max(1, height - 1);
  const columns = helpColumns(width, bodyHeight, readOnly, returnView === 'help' ? undefined : returnView);
  const columnWidth = Math.floor((width - (columns.length - 1) * 2) / Math.max(1, columns.length));
  const contentHeight = Math.max(0, ...columns.map((c) => c.length));
  return {columns, columnWidth, bodyHeight, contentHeight, maxScroll: Math.max(0, contentHeight - bodyHeight)};
}

export function HelpOverlay(props: {width: number; height: number; readOnly: boolean; returnView: View; scroll?: number}): React.JSX.Element {
  const layout = helpLayout(props.width, props.height, props.readOnly, props.returnView);
  const {columns, columnWidth, bodyHeight, contentHeight, maxScroll} = layout;
  const scroll = Math.max(0, Math.min(props.scroll ?? 0, maxScroll));
  const where =
    maxScroll > 0
      ? `lines ${scroll + 1}-${Math.min(contentHeight, scroll + bodyHeight)} of ${contentHeight} · j/k pgup/pgdn scroll · ? or esc closes`
      : 'keys of every view · ? or esc closes';
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      <Lines lines={[titleLine('Help', where, props.width, true)]} width={props.width} />
      <Box flexDirection="row" width={props.width} height={bodyHeight} overflow="hidden">
        {columns.map((lines, i) => (
          <Box key={i} width={columnWidth} marginRight={i < columns.length - 1 ? 2 : 0} flexShrink={0}>
            <Lines lines={lines.slice(scroll, scroll + bodyHeight)} width={columnWidth} height={bodyHeight} />
          </Box>
        ))}
      </Box>
    </Box>
  );
}
