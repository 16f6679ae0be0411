// A tmux control-mode client (`tmux -C attach`) for key-to-frame measurements: keys and capture-pane go through
// one long-lived client instead of a tmux process spawned per command, and the pane's output arrives as %output
// notifications the moment the program writes it. A key-to-frame time is then: from sending the key to the
// %output after which the captured screen shows the expected frame (the capture itself is not counted: it only
// confirms which output carried the frame; matching the output stream itself does not work: an incremental
// renderer rewrites only the changed end of a line, so "11/1.0k" after "10/1.0k" is written as "1/1.0k"). The spawn-per-poll loop (TmuxSession.waitFor at pollMs 1) adds one
// or two process spawns to every figure, 10-30 ms on a loaded machine.
import {spawn} from 'node:child_process';

export class TmuxControl {
  /** Attaches a control client to `session` (a TmuxSession already started). */
  static async attach(session) {
    const child = spawn('tmux', ['-L', session.socket, '-C', 'attach-session', '-t', session.name], {stdio: ['pipe', 'pipe', 'ignore']});
    const control = new TmuxControl(child, session.name);
    await control.command('display-message -p ready');
    return control;
  }

  constructor(child, target) {
    this.child = child;
    this.target = target;
    this.pending = [];
    this.block = null;
    this.lastOutputAt = 0;
    this.outputCount = 0;
    this.waiters = [];
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        this.line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    // the first %begin/%end block answers the attach itself, before any command of ours
    this.pending.push({resolve: () => {}, reject: () => {}});
  }

  line(text) {
    if (this.block) {
      if (text.startsWith('%end ') || text.startsWith('%error ')) {
        const lines = this.block;
        this.block = null;
        const waiter = this.pending.shift();
        if (text.startsWith('%error ')) waiter?.reject(new Error(lines.join('\n')));
        else waiter?.resolve(lines);
      } else this.block.push(text);
      return;
    }
    if (text.startsWith('%begin ')) this.block = [];
    else if (text.startsWith('%output ') || text.startsWith('%extended-output ')) {
      this.lastOutputAt = performance.now();
      this.outputCount++;
      for (const w of this.waiters.splice(0)) w();
    }
  }

  /** One tmux command (control-mode syntax); resolves with its output lines. */
  command(text) {
    return new Promise((resolve, reject) => {
      this.pending.push({resolve, reject});
      this.child.stdin.write(`${text}\n`);
    });
  }

  nextOutput(timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output for ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async screen() {
    return (await this.command(`capture-pane -p -t ${this.target}`)).join('\n');
  }

  /** Sends `keys` (send-keys arguments, already quoted for tmux); what frameWhere measures from. */
  async send(keys) {
    const before = this.outputCount;
    const started = performance.now();
    await this.command(`send-keys -t ${this.target} ${keys}`);
    return {started, before};
  }

  /** ms from `sent` to the output after which `predicate(screen)` first held (an upper bound when several outputs
   * arrive between two captures). Called twice for one key (echo, then settled), the second starts over. */
  async frameWhere(predicate, sent, {timeoutMs = 5_000} = {}) {
    let checked = sent.before;
    const deadline = sent.started + timeoutMs;
    for (;;) {
      if (this.outputCount === checked) await this.nextOutput(Math.max(1, deadline - performance.now()));
      checked = this.outputCount;
      const at = this.lastOutputAt;
      if (predicate(await this.screen())) return at - sent.started;
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the frame:\n${await this.screen()}`);
    }
  }

  /** Sends `keys` and returns ms from the send to the output that made `predicate(screen)` true. */
  async keyToFrame(keys, predicate, {timeoutMs = 5_000} = {}) {
    return this.frameWhere(predicate, await this.send(keys), {timeoutMs});
  }

  close() {
    this.child.stdin.end();
    this.child.kill();
  }
}

/** A string as one tmux command argument (control mode parses commands like a tmux config line). */
export const tmuxQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;
