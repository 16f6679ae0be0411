// A stream that keeps what is written to it, for a command's stdout or stderr in a test: pass it where the
// command writes, read `text` afterwards. One in place of a PassThrough and its 'data' listener in every test.
import {PassThrough} from 'node:stream';

export class Capture extends PassThrough {
  /** Everything written so far, as text. */
  text = '';
  constructor() {
    super();
    this.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
  }
}

/** A command's two streams, captured. */
export function captureIo(): {stdout: Capture; stderr: Capture} {
  return {stdout: new Capture(), stderr: new Capture()};
}
