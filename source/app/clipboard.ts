// Copy to the system clipboard through the terminal: OSC 52 (ESC ] 52 ; c ; <base64> BEL), which works over
// SSH and, with `set -g set-clipboard on`, inside tmux (tmux then passes it to the outer terminal; we do not
// use tmux's DCS passthrough, which also needs `allow-passthrough`). The text is base64: the only escape on
// the wire is ours. Where OSC 52 cannot work (no terminal, TERM=dumb, or "clipboard": "file" in the config)
// the text goes to a 0600 file in a fresh 0700 temp directory and the path is shown instead.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/**
 * The largest OSC 52 payload we send: 100 000 base64 bytes (about 73 KB of text). Terminals drop longer
 * sequences silently (hterm / ChromeOS Secure Shell stops at 100 000, others at less), and a dropped copy
 * would be reported as done: above this the copy is refused, with the size.
 */
export const OSC52_MAX_BASE64 = 100_000;

export function osc52Sequence(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

export type CopyResult =
  | {kind: 'osc52'; message: string}
  | {kind: 'file'; path: string; message: string}
  | {kind: 'refused'; message: string};

export interface ClipboardOptions {
  /** Writes to the terminal (the stream Ink draws on: OSC 52 moves no cursor, so the frame is untouched). */
  write(data: string): void;
  /** Why OSC 52 cannot be used here, or null when it can. */
  unsupported: string | null;
  /** Inside tmux (the message says what tmux needs). */
  tmux?: boolean;
  /** Where fallback files go (default: the OS temp directory). */
  tmpDir?: string;
}

export interface Clipboard {
  /** Copies `text`; `what` names it in the message ("request id", "payload"). Never throws. */
  copy(text: string, what: string): CopyResult;
}

/** Why OSC 52 will not work in this environment, or null. */
export function osc52Unsupported(options: {isTTY: boolean; env: {TERM?: string | undefined}; mode: 'osc52' | 'file'}): string | null {
  if (options.mode === 'file') return 'the config file says "clipboard": "file"';
  if (!options.isTTY) return 'stdout is not a terminal';
  if (!options.env.TERM || options.env.TERM === 'dumb') return `TERM is ${options.env.TERM ? 'dumb' : 'not set'}`;
  return null;
}

const kb = (bytes: number): string => (bytes < 1024 ? `${bytes} bytes` : `${Math.ceil(bytes / 1024)} KB`);

export function createClipboard(options: ClipboardOptions): Clipboard {
  const toFile = (text: string, what: string, why: string): CopyResult => {
    try {
      const dir = mkdtempSync(path.join(options.tmpDir ?? tmpdir(), 'lambda-top-copy-'));
      const file = path.join(dir, `${what.replace(/[^a-z0-9]+/gi, '-')}.txt`);
      writeFileSync(file, text, {mode: 0o600, flag: 'wx'});
      return {kind: 'file', path: file, message: `${what} written to ${file} (no clipboard: ${why})`};
    } catch (error) {
      return {kind: 'refused', message: `cannot copy the ${what}: no clipboard (${why}) and no temp file (${(error as Error).message})`};
    }
  };
  return {
    copy(text, what) {
      if (options.unsupported !== null) return toFile(text, what, options.unsupported);
      const sequence = osc52Sequence(text);
      const base64 = sequence.length - 8; // ESC ] 5 2 ; c ; ... BEL
      if (base64 > OSC52_MAX_BASE64) {
        return {kind: 'refused', message: `${what} too large to copy: ${kb(Buffer.byteLength(text))} (the terminal clipboard takes up to ${kb((OSC52_MAX_BASE64 / 4) * 3)}); export it with e`};
      }
      options.write(sequence);
      return {kind: 'osc52', message: `copied the ${what} (${kb(Buffer.byteLength(text))} via OSC 52${options.tmux ? '; in tmux this needs set-clipboard on' : ''})`};
    },
  };
}
