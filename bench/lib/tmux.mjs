// Drives a program in a real terminal (tmux) for benchmarks and end-to-end checks.
import {execFileSync, execFile} from 'node:child_process';
import {promisify} from 'node:util';

const run = promisify(execFile);

export function hasTmux() {
  try {
    execFileSync('tmux', ['-V'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

export class TmuxSession {
  constructor(name, {columns = 120, rows = 40, socket = `lambda-top-${process.pid}`} = {}) {
    this.name = name;
    this.columns = columns;
    this.rows = rows;
    this.socket = socket;
  }

  async tmux(...args) {
    const {stdout} = await run('tmux', ['-L', this.socket, ...args], {maxBuffer: 16 * 1024 * 1024});
    return stdout;
  }

  /** Starts `command` (a shell string) in a new detached session of the given size. */
  async start(command, env = {}) {
    const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(String(value))}; `).join('');
    // `remain-on-exit` keeps the pane so the exit status and last screen can be read.
    const args = ['new-session', '-d', '-s', this.name, '-x', String(this.columns), '-y', String(this.rows), `${exports}${command}; echo "__exit=$?"; sleep 3600`];
    // When the previous session on this socket was the last one, its server may still be shutting down:
    // tmux then answers "server exited unexpectedly". Try again shortly.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.tmux(...args);
        return;
      } catch (error) {
        if (attempt >= 5 || !/server exited unexpectedly|lost server/.test(String(error?.stderr ?? error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async capture() {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  async sendKeys(...keys) {
    await this.tmux('send-keys', '-t', this.name, ...keys);
  }

  async resize(columns, rows) {
    await this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** Polls the screen until `predicate(screen)` holds; returns {screen, elapsedMs}. */
  async waitFor(predicate, {timeoutMs = 15_000, pollMs = 50} = {}) {
    const started = performance.now();
    let screen = '';
    while (performance.now() - started < timeoutMs) {
      screen = await this.capture();
      if (predicate(screen)) return {screen, elapsedMs: performance.now() - started};
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    const error = new Error(`timed out after ${timeoutMs} ms waiting for the screen; last screen:\n${screen}`);
    error.screen = screen;
    throw error;
  }

  async kill() {
    try {
      await this.tmux('kill-session', '-t', this.name);
    } catch {}
  }

  async killServer() {
    try {
      await this.tmux('kill-server');
    } catch {}
  }
}

export function shellQuote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
