// What the logs say that the metrics do not: the share of cold starts, memory headroom (the most memory used
// against the memory size), and the share of failed invocations that timed out. Computed from finished attempts
// (source/domain/request-attempts.ts); pure. `logFindings` turns them into findings the diagnosis can show
// beside its own ("errors are mostly timeouts: raise Timeout or fix the downstream"). Unknown stays null.
import type {Finding} from './types.ts';
import type {Attempt} from './request-attempts.ts';
import {formatDurationMs, formatPercent} from './format.ts';

export interface LogStats {
  /** Attempts whose REPORT was read. */
  invocations: number;
  coldStarts: number;
  /** coldStarts / invocations; null with no invocations. */
  coldStartShare: number | null;
  /** Longest Init Duration seen (ms). */
  maxInitDurationMs: number | null;
  /** The memory size of the invocations (the largest one seen, should versions differ). */
  memorySizeMb: number | null;
  maxMemoryUsedMb: number | null;
  /** 1 - maxMemoryUsed / memorySize: 0.06 = the fullest invocation left 6% of its memory free. */
  memoryHeadroom: number | null;
  /** Reported attempts that failed (error, timeout, runtime exit). */
  failures: number;
  timeouts: number;
  runtimeExits: number;
  /** timeouts / failures; null with no failures. */
  timeoutShareOfFailures: number | null;
  maxDurationMs: number | null;
}

/** A running fold of finished attempts (the tail adds them as REPORTs arrive). */
export class LogStatsAccumulator {
  private invocations = 0;
  private coldStarts = 0;
  private maxInit: number | null = null;
  private memorySize: number | null = null;
  private maxUsed: number | null = null;
  private maxUsedShare: number | null = null;
  private failures = 0;
  private timeouts = 0;
  private exits = 0;
  private maxDuration: number | null = null;

  add(attempt: Attempt): void {
    if (attempt.endedAt === null || attempt.coldStart === null) return; // no REPORT read: no figures
    this.invocations++;
    if (attempt.coldStart) this.coldStarts++;
    if (attempt.initDurationMs !== null) this.maxInit = Math.max(this.maxInit ?? 0, attempt.initDurationMs);
    if (attempt.durationMs !== null) this.maxDuration = Math.max(this.maxDuration ?? 0, attempt.durationMs);
    if (attempt.memorySizeMb !== null && attempt.memorySizeMb > 0) {
      this.memorySize = Math.max(this.memorySize ?? 0, attempt.memorySizeMb);
      if (attempt.maxMemoryUsedMb !== null) {
        this.maxUsed = Math.max(this.maxUsed ?? 0, attempt.maxMemoryUsedMb);
        this.maxUsedShare = Math.max(this.maxUsedShare ?? 0, attempt.maxMemoryUsedMb / attempt.memorySizeMb);
      }
    }
    if (attempt.outcome === 'timeout' || attempt.outcome === 'error' || attempt.outcome === 'runtime-exit') this.failures++;
    if (attempt.outcome === 'timeout') this.timeouts++;
    if (attempt.outcome === 'runtime-exit') this.exits++;
  }

  stats(): LogStats {
    return {
      invocations: this.invocations,
      coldStarts: this.coldStarts,
      coldStartShare: this.invocations > 0 ? this.coldStarts / this.invocations : null,
      maxInitDurationMs: this.maxInit,
      memorySizeMb: this.memorySize,
      maxMemoryUsedMb: this.maxUsed,
      memoryHeadroom: this.maxUsedShare === null ? null : Math.max(0, 1 - this.maxUsedShare),
      failures: this.failures,
      timeouts: this.timeouts,
      runtimeExits: this.exits,
      timeoutShareOfFailures: this.failures > 0 ? this.timeouts / this.failures : null,
      maxDurationMs: this.maxDuration,
    };
  }
}

export function computeLogStats(attempts: Iterable<Attempt>): LogStats {
  const acc = new LogStatsAccumulator();
  for (const attempt of attempts) acc.add(attempt);
  return acc.stats();
}

export interface LogFindingOptions {
  /** Fewest failures before "mostly timeouts" is said (default 3). */
  minFailures?: number;
  /** Fewest invocations before a share of cold starts is said (default 10). */
  minInvocations?: number;
}

/** Findings from the logs, worst first. Nothing is said from too few lines. */
export function logFindings(stats: LogStats, options: LogFindingOptions = {}): Finding[] {
  const minFailures = options.minFailures ?? 3;
  const minInvocations = options.minInvocations ?? 10;
  const findings: Finding[] = [];
  if (stats.timeoutShareOfFailures !== null && stats.failures >= minFailures && stats.timeoutShareOfFailures >= 0.5) {
    findings.push({
      id: 'logs-errors-mostly-timeouts',
      severity: 'warning',
      title: `errors are mostly timeouts (${formatPercent(stats.timeoutShareOfFailures)} of ${stats.failures} failed invocations)`,
      detail: 'raise Timeout or fix the downstream the function waits on: a timed-out invocation is retried and costs its whole Timeout each time',
    });
  }
  if (stats.memoryHeadroom !== null && stats.memoryHeadroom < 0.1) {
    findings.push({
      id: 'logs-memory-headroom',
      severity: stats.memoryHeadroom <= 0.02 ? 'critical' : 'warning',
      title: `memory nearly full: ${stats.maxMemoryUsedMb} MB used of ${stats.memorySizeMb} MB (${formatPercent(stats.memoryHeadroom)} headroom)`,
      detail: 'an invocation that reaches its memory size is killed (Runtime exited with error: signal: killed): raise MemorySize',
    });
  }
  if (stats.runtimeExits > 0) {
    findings.push({
      id: 'logs-runtime-exits',
      severity: 'warning',
      title: `${stats.runtimeExits} invocation${stats.runtimeExits === 1 ? '' : 's'} ended with the runtime exiting`,
      detail: 'the process died (out of memory, a crash, process.exit): the handler\'s own error handling never ran',
    });
  }
  if (stats.coldStartShare !== null && stats.invocations >= minInvocations && stats.coldStartShare >= 0.2) {
    findings.push({
      id: 'logs-cold-starts',
      severity: 'info',
      title: `${formatPercent(stats.coldStartShare)} of invocations were cold starts (init up to ${formatDurationMs(stats.maxInitDurationMs)})`,
      detail: 'each cold start adds its Init Duration; provisioned concurrency or a smaller package shortens it',
    });
  }
  return findings;
}
