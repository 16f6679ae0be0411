// Human text for log output: one block per attempt of a request, one line (plus its stack) per tailed event, and
// the statistics line. Every piece of log text is sanitised and cut by display width here. Pure.
import {formatDurationMs, formatPercent, formatTimestamp, UNKNOWN} from './format.ts';
import type {ReadLogLine} from './log-events.ts';
import type {Attempt} from './request-attempts.ts';
import type {LogStats} from './log-stats.ts';
import {sanitizeLine, sanitizeLines} from './sanitize.ts';
import {truncateToWidth} from './width.ts';

const OUTCOME_WORDS: Record<Attempt['outcome'], string> = {
  timeout: 'TIMED OUT',
  'runtime-exit': 'RUNTIME EXITED',
  error: 'FAILED',
  ok: 'succeeded',
  unknown: 'outcome unknown (no REPORT line in the window)',
};

function mb(value: number | null): string {
  return value === null ? UNKNOWN : `${value} MB`;
}

/** A line of untrusted text, indented and cut to the width. */
function textLine(indent: string, text: string, width: number): string {
  return indent + sanitizeLine(text, Math.max(8, width - indent.length));
}

/** A multi-line untrusted text, each line indented and cut to the width, at most `maxLines` lines. */
function textLines(indent: string, text: string, width: number, maxLines = 40): string[] {
  const lines = sanitizeLines(text, {maxLength: 64_000}).map((l) => indent + truncateToWidth(l, Math.max(8, width - indent.length)));
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `${indent}… ${lines.length - maxLines} more lines`] : lines;
}

/** "Duration 3.0 s (billed 3.0 s) · memory 90 MB of 256 MB · cold start, init 180 ms". */
export function attemptFigures(a: Attempt): string {
  const parts = [`duration ${formatDurationMs(a.durationMs)} (billed ${formatDurationMs(a.billedDurationMs)})`, `memory ${mb(a.maxMemoryUsedMb)} of ${mb(a.memorySizeMb)}`];
  if (a.coldStart === true) parts.push(`cold start, init ${formatDurationMs(a.initDurationMs)}`);
  else if (a.coldStart === false) parts.push('warm');
  return parts.join(' · ');
}

export interface AttemptBlockOptions {
  width: number;
  /** Show every line of the attempt, not only the summary and the errors (default true). */
  lines?: boolean;
}

/** One block per attempt: a heading, the figures, the timeout / exit / errors with their stack, then its lines. */
export function formatAttempts(attempts: readonly Attempt[], options: AttemptBlockOptions): string[] {
  const width = Math.max(40, options.width);
  const out: string[] = [];
  attempts.forEach((a, i) => {
    if (i > 0) out.push('');
    const when = a.startedAt !== null ? formatTimestamp(a.startedAt, {milliseconds: true}) : `(started before the window) ${formatTimestamp(a.lines[0]?.timestamp ?? null)}`;
    out.push(textLine('', `attempt ${i + 1} of ${attempts.length}: ${OUTCOME_WORDS[a.outcome]} · ${when} · ${a.stream}`, width));
    out.push(textLine('  ', attemptFigures(a), width));
    if (a.timedOutAfterSeconds !== null) out.push(textLine('  ', `Task timed out after ${a.timedOutAfterSeconds.toFixed(2)} seconds`, width));
    if (a.runtimeExit) out.push(textLine('  ', `Runtime exited: ${a.runtimeExit.reason}${a.runtimeExit.errorType ? ` (${a.runtimeExit.errorType})` : ''}`, width));
    for (const error of a.errors) {
      out.push(textLine('  ', `${error.type ? `${error.type}: ` : ''}${error.message}`, width));
      for (const frame of error.stack.slice(0, 20)) out.push(textLine('      ', frame, width));
      if (error.stack.length > 20) out.push(`      … ${error.stack.length - 20} more frames`);
    }
    if (options.lines ?? true) {
      out.push('  lines:');
      for (const line of a.lines) {
        const prefix = `    ${formatTimestamp(line.timestamp, {milliseconds: true}).slice(11)}  `;
        const [first = '', ...rest] = textLines('', line.message, width - prefix.length);
        out.push(prefix + first);
        for (const r of rest) out.push(' '.repeat(prefix.length) + r);
      }
    }
  });
  return out;
}

/** "cold starts 12% (3 of 25) · memory headroom 40% (307 MB of 512 MB) · failures 4, timeouts 75% of them". */
export function formatStats(stats: LogStats): string {
  if (stats.invocations === 0) return 'no finished invocation (REPORT line) read yet';
  const parts = [
    `${stats.invocations} invocation${stats.invocations === 1 ? '' : 's'}`,
    `cold starts ${formatPercent(stats.coldStartShare)} (${stats.coldStarts})`,
    `memory headroom ${formatPercent(stats.memoryHeadroom)} (${mb(stats.maxMemoryUsedMb)} of ${mb(stats.memorySizeMb)})`,
    stats.failures === 0 ? 'no failures' : `${stats.failures} failed, ${formatPercent(stats.timeoutShareOfFailures)} of them timeouts`,
  ];
  return parts.join(' · ');
}

/** A structured (JSON) line, compact: "ERROR message (TypeError: boom) orderId=42" (a few keys of its own). */
export function compactLine(read: ReadLogLine, message: string): string {
  switch (read.kind) {
    case 'structured': {
      const error = read.error && !read.message.includes(read.error.message) ? ` (${read.error.type ?? 'error'}: ${read.error.message})` : '';
      const keys = (read.keys ?? []).map(([k, v]) => ` ${k}=${v}`).join('');
      return `${read.level ?? 'LOG'} ${read.message}${error}${keys}`;
    }
    case 'error':
      return `ERROR ${read.error.type ? `${read.error.type}: ` : ''}${read.error.message}`;
    case 'text':
      return read.level ? `${read.level} ${read.text}` : read.text;
    default:
      return message;
  }
}

export interface TailLineOptions {
  width: number;
  /** Stack frames shown under an error (default 8). */
  maxFrames?: number;
}

/** The lines under a tailed event's first row: an error's stack frames, else the rest of a multi-line text. */
function tailFrames(read: ReadLogLine, compact: string): string[] {
  if (read.kind === 'error') return read.error.stack;
  if (read.kind === 'structured' && read.error) return read.error.stack;
  const newline = compact.indexOf('\n');
  return newline === -1 ? [] : compact.slice(newline + 1).split('\n');
}

/** One tailed event: "12:00:03.120 [abc123] ERROR …" and, for errors, their first frames below. */
export function formatTailEvent(event: {timestamp: number; stream: string; message: string}, read: ReadLogLine, options: TailLineOptions): string[] {
  const width = Math.max(40, options.width);
  const time = formatTimestamp(event.timestamp, {milliseconds: true}).slice(11, 23);
  const stream = event.stream.slice(-6);
  const head = `${time} [${sanitizeLine(stream, 6)}] `;
  const compact = compactLine(read, event.message);
  const newline = compact.indexOf('\n');
  const first = newline === -1 ? compact : compact.slice(0, newline);
  const out = [head + sanitizeLine(first, width - head.length)];
  const frames = tailFrames(read, compact);
  const maxFrames = options.maxFrames ?? 8;
  for (const frame of frames.slice(0, maxFrames)) if (frame.trim()) out.push(textLine('      ', frame.trim(), width));
  if (frames.length > maxFrames) out.push(`      … ${frames.length - maxFrames} more lines`);
  return out;
}

/** How many rows formatTailEvent gives an event, without formatting it (the count does not depend on the width):
 * a panel of thousands of lines sizes its scroll range from this and formats only the rows on screen. */
export function tailEventRows(event: {message: string}, read: ReadLogLine, options: {maxFrames?: number} = {}): number {
  const frames = tailFrames(read, compactLine(read, event.message));
  const maxFrames = options.maxFrames ?? 8;
  let rows = 1;
  const n = Math.min(frames.length, maxFrames);
  for (let i = 0; i < n; i++) if (frames[i]!.trim()) rows++;
  return frames.length > maxFrames ? rows + 1 : rows;
}
