// Everything the commands write to stdout goes through here:
// - JSON to a terminal is escaped (C1, bidi, invisible characters as \u escapes); to a pipe or a file the bytes
//   stay exact (source/domain/terminal-json.ts);
// - when the reader goes away (`| head -c 10` closed the pipe: EPIPE), stdout stops quietly, as Unix tools do:
//   no stack, no "unhandled error"; `closed` aborts so a command that only writes (export, simulate) ends, and
//   later writes are dropped instead of failing.
import {StringDecoder} from 'node:string_decoder';
import {Writable} from 'node:stream';
import {escapeJsonForTerminal} from '../domain/terminal-json.ts';

export interface GuardedStdout {
  /** Aborted when the reader of stdout went away. */
  closed: AbortSignal;
  /** Writes JSON text (escaped for a terminal when stdout is one). */
  writeJson(text: string): void;
  /** Writes plain text (help, the simulator's banner): already ours, never untrusted. */
  write(text: string): void;
  /** A stream for the commands' JSON output (export's JSON lines, redrive --json). */
  jsonStream(): NodeJS.WritableStream;
}

const QUIET_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

export function guardStdout(stdout: NodeJS.WriteStream = process.stdout, onOtherError: (error: Error) => void = () => {}): GuardedStdout {
  const controller = new AbortController();
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!controller.signal.aborted) controller.abort();
    if (!QUIET_CODES.has(error.code ?? '')) onOtherError(error);
  });
  const raw = (text: string) => {
    if (controller.signal.aborted || stdout.destroyed) return;
    stdout.write(text);
  };
  const forTerminal = (text: string) => (stdout.isTTY ? escapeJsonForTerminal(text) : text);
  return {
    closed: controller.signal,
    write: raw,
    writeJson: (text) => raw(forTerminal(text)),
    jsonStream() {
      const decoder = new StringDecoder('utf8');
      return new Writable({
        decodeStrings: false,
        write(chunk: string | Buffer, _encoding, callback) {
          const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
          // Writes are synchronous to files and pipes on Linux; wait for the drain of a slow reader.
          if (controller.signal.aborted || stdout.destroyed) return callback();
          const ok = stdout.write(forTerminal(text));
          if (ok) callback();
          else {
            const done = () => {
              stdout.off('drain', done);
              controller.signal.removeEventListener('abort', done);
              callback();
            };
            stdout.once('drain', done);
            controller.signal.addEventListener('abort', done, {once: true});
          }
        },
        final(callback) {
          const rest = decoder.end();
          if (rest) raw(forTerminal(rest));
          callback();
        },
      });
    },
  };
}
