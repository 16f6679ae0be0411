// The baseline for key-to-frame latency (bench/log-tail.mjs): a bare Ink app, bundled the same way as lambda-top,
// that redraws a counter on every key (q quits). What a key costs in Ink and tmux with no work of our own.
import React, {useState} from 'react';
import {render, Box, Text, useInput, useApp} from 'ink';

function Keys(): React.JSX.Element {
  const [count, setCount] = useState(0);
  const {exit} = useApp();
  useInput((input) => {
    if (input === 'q') exit();
    else setCount((n) => n + 1);
  });
  return (
    <Box borderStyle="round" paddingX={1}>
      <Text>bare ink keys: {count}</Text>
    </Box>
  );
}

const app = render(<Keys />, {interactive: true, maxFps: 60});
await app.waitUntilExit();
process.exit(0);
