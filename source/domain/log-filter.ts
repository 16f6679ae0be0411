// Which log lines the tail shows by default: failures. Errors (with their stack), timeouts, runtime exits,
// structured lines at level ERROR/FATAL/CRITICAL, failed REPORTs, and REPORT lines slower than a threshold.
// Plus the operator's text filter. Pure.
import {isErrorLevel, type ReadLogLine} from './log-events.ts';
import {sanitizeText} from './sanitize.ts';

export interface FailureFilterOptions {
  /** A REPORT whose Duration is at least this is shown (ms); null = never for its duration alone. */
  slowMs: number | null;
}

export function isFailureLine(read: ReadLogLine, options: FailureFilterOptions): boolean {
  switch (read.kind) {
    case 'error':
    case 'timeout':
    case 'runtime-exit':
      return true;
    case 'structured':
      return read.error !== null || isErrorLevel(read.level);
    case 'text':
      return isErrorLevel(read.level);
    case 'report':
      return read.status !== null || (options.slowMs !== null && read.durationMs !== null && read.durationMs >= options.slowMs);
    default:
      return false;
  }
}

/** The default slow threshold: 80% of the function's Timeout (an invocation that close is about to time out). */
export function defaultSlowMs(timeoutSeconds: number | null): number | null {
  return timeoutSeconds === null || !(timeoutSeconds > 0) ? null : Math.round(timeoutSeconds * 800);
}

/** A case-insensitive substring filter over the line as it would be shown (sanitised), so what matches is what
 * the operator sees. Empty text matches everything. */
export function textFilter(text: string | undefined): (message: string) => boolean {
  const needle = (text ?? '').trim().toLowerCase();
  if (needle === '') return () => true;
  return (message) => sanitizeText(message).toLowerCase().includes(needle);
}
