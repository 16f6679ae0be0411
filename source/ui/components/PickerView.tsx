// The P / G picker: a list of profiles (from the AWS shared config files) or regions, the one in use marked.
import React from 'react';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {PickerState} from '../../store/types.ts';
import {cell, wrapText, type Line} from '../text.ts';
import {DialogBox, dialogWidth} from './RedriveDialogs.tsx';

export function pickerLines(picker: PickerState, width: number, height: number): Line[] {
  const inner = dialogWidth(width) - 4;
  const title = picker.kind === 'profile' ? 'Switch AWS profile' : 'Switch region';
  const head: Line[] = [[{text: title, bold: true}], ...picker.notes.flatMap((n) => wrapText(sanitizeText(n), inner).map((t): Line => [{text: t, tone: 'muted'}])), []];
  const keys: Line = [{text: 'enter', role: 'key', bold: true}, {text: ' use   '}, {text: 'esc', role: 'key', bold: true}, {text: ' close'}];
  if (picker.items.length === 0) return [...head, [{text: picker.kind === 'profile' ? 'no profiles in the AWS config files' : 'no regions', tone: 'warning'}], [], keys];
  // A window of the list around the cursor.
  const room = Math.max(3, height - head.length - 4);
  const start = Math.max(0, Math.min(picker.cursor - Math.floor(room / 2), picker.items.length - room));
  const nameWidth = Math.min(32, Math.max(...picker.items.map((i) => i.value.length)) + 2);
  const rows = picker.items.slice(start, start + room).map((item, i): Line => {
    const index = start + i;
    const here = index === picker.cursor;
    const current = item.value === picker.current;
    return [
      {text: here ? '› ' : '  ', role: 'key', bold: true},
      {text: cell(sanitizeLine(item.value, nameWidth), nameWidth), bold: here, inverse: here},
      {text: ` ${sanitizeLine(item.detail, Math.max(4, inner - nameWidth - 14))}`, tone: 'muted'},
      ...(current ? [{text: ' (in use)', tone: 'ok' as const}] : []),
    ];
  });
  const more = picker.items.length > room ? [[{text: `${picker.cursor + 1} of ${picker.items.length}`, tone: 'muted'}] as Line] : [];
  return [...head, ...rows, ...more, [], keys];
}

export function PickerView({picker, width, height}: {picker: PickerState; width: number; height: number}): React.JSX.Element {
  return <DialogBox lines={pickerLines(picker, width, height)} width={width} height={height} />;
}
