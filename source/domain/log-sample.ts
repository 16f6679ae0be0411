// The dashboard's sample of the function's logs, for what metrics lack: a few minutes of START / REPORT / error
// lines (one paced FilterLogEvents query every few refreshes: source/pollers/log-sample.ts), folded into the log
// statistics (cold starts, memory headroom, timeouts among failures) and their findings, which join the
// diagnosis' with the size of the sample said. No lines read = no sample = no log findings (unknown is not 0).
// Pure.
import {computeLogStats, logFindings, type LogStats} from './log-stats.ts';
import {finishedAttempts, type LogEventIn} from './request-attempts.ts';
import type {Finding, Severity} from './types.ts';

/** The lines the sample asks for (CloudWatch's `?term` means any of them): START opens an attempt so that an
 * error line without a request id (a Python traceback) is counted with its invocation; REPORT closes it. */
export const LOG_SAMPLE_PATTERN = '?START ?REPORT ?ERROR ?"Task timed out" ?"Runtime exited"';
/** Log time the sample covers, ending now. */
export const LOG_SAMPLE_WINDOW_MS = 5 * 60_000;
/** Most lines one sample reads. */
export const LOG_SAMPLE_LIMIT = 5000;

export interface LogSample {
  /** Lines read. */
  lines: number;
  windowMs: number;
  /** The read stopped at the line limit or its time budget: the sample is the window's older part. */
  cut: boolean;
  stats: LogStats;
}

export function summarizeLogSample(events: readonly LogEventIn[], options: {windowMs: number; cut: boolean}): LogSample {
  return {lines: events.length, windowMs: options.windowMs, cut: options.cut, stats: computeLogStats(finishedAttempts(events))};
}

/** Where the figures come from, for the finding's detail. */
export function sampleWords(sample: LogSample): string {
  const what = `${sample.stats.invocations} invocation${sample.stats.invocations === 1 ? '' : 's'}`;
  return `from a sample of ${sample.lines} log line${sample.lines === 1 ? '' : 's'} (${what}, the last ${Math.max(1, Math.round(sample.windowMs / 60_000))} min${sample.cut ? ', cut at the line limit' : ''})`;
}

/** The log statistics' findings, each saying the sample they come from; none without a finished invocation. */
export function logSampleFindings(sample: LogSample | null): Finding[] {
  if (!sample || sample.stats.invocations === 0) return [];
  const words = sampleWords(sample);
  return logFindings(sample.stats).map((f) => ({...f, detail: `${f.detail} (${words})`}));
}

const RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2};

/** The diagnosis' findings with the logs' beside them, by severity (the diagnosis' first within one). Where the
 * logs counted the timeouts, the metrics' guess at them (`timeouts-dominate` from durations) gives way. */
export function mergeFindings(diagnosed: readonly Finding[], fromLogs: readonly Finding[]): Finding[] {
  if (fromLogs.length === 0) return [...diagnosed];
  const counted = fromLogs.some((f) => f.id === 'logs-errors-mostly-timeouts');
  const kept = counted ? diagnosed.filter((f) => f.id !== 'timeouts-dominate') : [...diagnosed];
  const all = [...kept.map((f, i) => ({f, i})), ...fromLogs.map((f, i) => ({f, i: kept.length + i}))];
  return all.sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i).map((x) => x.f);
}
