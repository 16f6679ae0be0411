// Process measurements from /proc (Linux): CPU time and resident memory of a pid and its descendants.
import {readFileSync, readdirSync} from 'node:fs';

const ticksPerSecond = 100; // sysconf(_SC_CLK_TCK) is 100 on Linux x86_64 and arm64

export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime + stime
}

export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function childrenOf(pid) {
  const result = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) result.push(Number(entry));
    } catch {}
  }
  return result;
}

export function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Finds the first descendant of `pid` whose command line matches `pattern`. */
export function findDescendant(pid, pattern) {
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift();
    if (current !== pid && pattern.test(commandOf(current))) return current;
    queue.push(...childrenOf(current));
  }
  return null;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `pid` and all its descendants. */
export function treeOf(pid) {
  const result = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift();
    result.push(current);
    queue.push(...childrenOf(current));
  }
  return result;
}

const sumOver = (pids, measure) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + measure(pid);
    } catch {
      return sum; // exited meanwhile
    }
  }, 0);

/** CPU seconds of `pid` and every live descendant (a child that exited and was reaped is in the parent's cutime). */
export function treeCpuSeconds(pid) {
  return sumOver(treeOf(pid), cpuSeconds);
}

/** Resident memory of `pid` and every descendant, summed (shared pages count once per process). */
export function treeRssBytes(pid) {
  return sumOver(treeOf(pid), rssBytes);
}

/** Nanoseconds on a CPU of each live thread of `pid` (/proc/PID/task/TID/schedstat, first field: the scheduler's
 * own clock, not the 10 ms ticks of /proc/PID/stat), by thread id. A thread that ended is no longer counted, so a
 * difference is only valid while the same threads live (see treeCpuPrecise). */
export function threadCpuNanoseconds(pid) {
  const threads = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(`${pid}/${tid}`, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // ended meanwhile
    }
  }
  return threads;
}

/** A reading of the CPU time of `pid` and its descendants at nanosecond precision, per thread, with the tick
 * reading beside it: cpuSecondsBetween(before, after) uses the nanoseconds when every thread of `before` still
 * lives in `after` (threads started meanwhile count from zero, which is right), else the ticks. */
export function treeCpuReading(pid) {
  const threads = new Map();
  let ticks = 0;
  for (const p of treeOf(pid)) {
    try {
      ticks += cpuSeconds(p);
      for (const [tid, ns] of threadCpuNanoseconds(p)) threads.set(tid, ns);
    } catch {
      // exited meanwhile
    }
  }
  return {threads, ticks};
}

/** CPU seconds between two treeCpuReading()s, and whether they are the precise ones. */
export function cpuSecondsBetween(before, after) {
  let ns = 0;
  for (const [tid, start] of before.threads) {
    const end = after.threads.get(tid);
    if (end === undefined) return {seconds: after.ticks - before.ticks, precise: false};
    ns += end - start;
  }
  for (const [tid, end] of after.threads) if (!before.threads.has(tid)) ns += end;
  return {seconds: ns / 1e9, precise: true};
}
