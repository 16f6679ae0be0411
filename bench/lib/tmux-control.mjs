// A tmux control-mode client (tmux -C): keys go in as commands, and what the program writes to its terminal
// comes back as %output notifications the moment tmux reads it. Key-to-frame is then the time from sending a
// key to the first output that holds the expected text, with no screen polling (which costs milliseconds a
// capture and would quantise the figures).
import {spawn} from 'node:child_process';

/** %output data: octal escapes (\ooo) for control characters and backslash. */
function decode(data) {
  return data.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
}

export class TmuxControl {
  /** Attaches to an existing session on a socket (see TmuxSession). */
  constructor(socket, session) {
    this.output = '';
    this.waiters = [];
    this.child = spawn('tmux', ['-L', socket, '-C', 'attach', '-t', session], {stdio: ['pipe', 'pipe', 'ignore']});
    let partial = '';
    this.child.stdout.setEncoding('latin1');
    this.child.stdout.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      const at = performance.now();
      for (const line of lines) {
        if (!line.startsWith('%output ')) continue;
        const space = line.indexOf(' ', 8);
        this.output += decode(line.slice(space + 1));
      }
      this.check(at);
    });
  }

  check(at) {
    this.waiters = this.waiters.filter((w) => {
      if (!w.predicate(this.output)) return true;
      clearTimeout(w.timer);
      w.resolve(at);
      return false;
    });
  }

  /** Forgets the output so far (call before sending the key whose frame you wait for). */
  mark() {
    this.output = '';
  }

  /** Sends keys (tmux send-keys syntax, literal with -l). Resolves when written, returns the send time. */
  sendKeys(keys, {literal = true} = {}) {
    const quoted = keys.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const sentAt = performance.now();
    this.child.stdin.write(`send-keys ${literal ? '-l ' : ''}"${quoted}"\n`);
    return sentAt;
  }

  /** Resolves with the time (performance.now) at which the output since mark() first satisfied predicate. */
  waitFor(predicate, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      if (predicate(this.output)) return resolve(performance.now());
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no such output within ${timeoutMs} ms; output so far: ${JSON.stringify(this.output.slice(-400))}`));
      }, timeoutMs);
      this.waiters.push({predicate, resolve, timer});
    });
  }

  close() {
    this.child.stdin.end('detach\n');
    setTimeout(() => this.child.kill(), 500).unref();
  }
}
