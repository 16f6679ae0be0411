// Bundled by ink-window-size-patch.test.ts with and without the build's patch of Ink's useWindowSize(): renders one
// component that reads the window size into a fake terminal and counts its renders.
import {EventEmitter} from 'node:events';
import React from 'react';
import {render, Text, useWindowSize} from 'ink';

class FakeTerminal extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  write(): boolean {
    return true;
  }
}

export async function probe(): Promise<{afterMount: number; afterSameSize: number; afterResize: number; shown: string}> {
  const stdout = new FakeTerminal();
  const stdin = Object.assign(new EventEmitter(), {isTTY: false, setEncoding() {}, read: () => null, ref() {}, unref() {}});
  let renders = 0;
  let shown = '';
  function Probe(): React.JSX.Element {
    renders++;
    const {columns, rows} = useWindowSize();
    shown = `${columns}x${rows}`;
    return <Text>{shown}</Text>;
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
  const app = render(<Probe />, {stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, patchConsole: false, exitOnCtrlC: false, debug: false});
  await settle();
  const afterMount = renders;
  stdout.emit('resize');
  await settle();
  const afterSameSize = renders;
  stdout.columns = 100;
  stdout.emit('resize');
  await settle();
  const afterResize = renders;
  app.unmount();
  return {afterMount, afterSameSize, afterResize, shown};
}
