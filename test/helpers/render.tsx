// Our render helper, modelled on ink-testing-library (whose fake stdout is fixed at 100 columns and has
// no rows): renders an Ink tree into a fake terminal of a chosen size, sends keys as the escape strings a
// terminal sends, resizes, and waits for a frame to satisfy a predicate (never for a fixed time).
import {EventEmitter} from 'node:events';
import type {ReactElement} from 'react';
import {render as inkRender, type Instance} from 'ink';
import stringWidth from 'string-width';

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  space: ' ',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames[this.frames.length - 1];
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const {data} = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface RenderResult {
  /** The latest frame (ANSI colour codes included; use `plainFrame` for text assertions). */
  lastFrame(): string;
  /** The latest frame without SGR colour codes. */
  plainFrame(): string;
  frames: string[];
  /** Send keys (one string per keypress; each is written separately). */
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): void;
  waitForFrame(predicate: (plain: string) => boolean, what?: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
  instance: Instance;
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[0-9;]*m/g;
export const stripSgr = (text: string): string => text.replace(SGR, '');

/** Display width of every line of a frame (colour codes removed). */
export const lineWidths = (frame: string): number[] => stripSgr(frame).split('\n').map((line) => stringWidth(line));

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function renderInk(tree: ReactElement, {columns = 100, rows = 30}: {columns?: number; rows?: number} = {}): RenderResult {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const lastFrame = (): string => stdout.lastFrame() ?? '';
  return {
    lastFrame,
    plainFrame: () => stripSgr(lastFrame()),
    frames: stdout.frames,
    async press(...keys) {
      for (const key of keys) {
        stdin.write(key);
        // A lone ESC waits ~20 ms in Ink for a following sequence before it counts as Escape.
        await tick(key === KEYS.escape ? 40 : 5);
      }
    },
    resize(newColumns, newRows) {
      stdout.columns = newColumns;
      stdout.rows = newRows;
      stdout.emit('resize');
    },
    async waitForFrame(predicate, what = 'frame', timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const plain = stripSgr(lastFrame());
        if (predicate(plain)) return plain;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${plain}`);
        await tick(10);
      }
    },
    unmount() {
      instance.unmount();
      instance.cleanup();
    },
    instance,
  };
}
