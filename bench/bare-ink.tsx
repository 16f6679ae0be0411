// The baseline for start-up benchmarks: a bare Ink app that renders one box, bundled the same way as lambda-top.
import React from 'react';
import {render, Box, Text} from 'ink';

const app = render(
  <Box borderStyle="round" paddingX={1}>
    <Text>bare ink ready</Text>
  </Box>,
  {interactive: true},
);
process.stdin.setRawMode?.(true);
process.stdin.on('data', (data) => {
  if (String(data).includes('q')) app.unmount();
});
await app.waitUntilExit();
process.exit(0);
