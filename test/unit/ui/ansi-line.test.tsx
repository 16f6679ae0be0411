// AnsiLine draws a styled line as one text node (its segments' SGR codes joined) instead of one nested <Text> per
// segment: the frame Ink writes must be the same, in colour and in monochrome, cut to the width or not.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import chalk from 'chalk';
import {renderToString} from 'ink';
import {AnsiLine} from '../../../source/ui/components/AnsiLine.tsx';
import {StyledLine} from '../../../source/ui/components/StyledLine.tsx';
import {ThemeProvider, makeTheme} from '../../../source/ui/theme.tsx';
import type {Line} from '../../../source/ui/text.ts';

const lines: Line[] = [
  [{text: '● ', role: 'accent', bold: true}, {text: ' '}, {text: '   12 s', tone: 'muted'}, {text: ' '}, {text: 'DLQ       '}, {text: ' '}, {text: 'TypeError', tone: 'warning'}, {text: ' '}, {text: 'café ☕ 😀 message', bold: true}],
  [{text: '  ', inverse: true}, {text: ' ', inverse: true}, {text: '1 min', inverse: true}, {text: ' ', inverse: true}, {text: 'a row under the cursor', inverse: true}],
  [{text: 'label', color: '#ff8800'}, {text: ' and a long tail that the width cuts with an ellipsis at the end of the row'}],
  [{text: ''}],
  [],
];

test('AnsiLine draws the frame StyledLine draws (colour and mono; split into two text nodes or not)', () => {
  const level = chalk.level;
  chalk.level = 3;
  try {
    for (const color of [true, false]) {
      for (const line of lines) {
        for (const width of [120, 40]) {
          const draw = (node: React.JSX.Element) => renderToString(<ThemeProvider theme={makeTheme(color)}>{node}</ThemeProvider>, {columns: width});
          const expected = draw(<StyledLine line={line} width={width} />);
          assert.equal(draw(<AnsiLine line={line} width={width} />), expected, `color ${color}, width ${width}: ${JSON.stringify(line)}`);
          assert.equal(draw(<AnsiLine line={line} width={width} split={4} />), expected, `split, color ${color}, width ${width}: ${JSON.stringify(line)}`);
        }
      }
    }
  } finally {
    chalk.level = level;
  }
});
