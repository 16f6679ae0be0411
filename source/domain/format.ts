// Short human forms for numbers, durations, ages, sizes and times, for narrow terminal columns.
// Every formatter takes null/undefined (and NaN) to '—': an unknown value is never shown as 0.

export const UNKNOWN = '—';

type Maybe = number | null | undefined;

const known = (n: Maybe): n is number => typeof n === 'number' && Number.isFinite(n);

/** Trims a trailing ".0" ("3.0" -> "3"). */
const trimZero = (s: string): string => (s.endsWith('.0') ? s.slice(0, -2) : s);

/** 0, 7, 950, 1.2k, 34k, 999k, 1.2M, 3.4B. Non-integers below 10 keep one decimal (2.5). */
/** A rate per minute: "35/min", "0.4/min"; a small non-zero rate is "<0.1/min", never "0/min". */
export function formatPerMinute(n: Maybe): string {
  if (!known(n)) return UNKNOWN;
  if (n > 0 && n < 0.05) return '<0.1/min';
  return `${formatCount(n)}/min`;
}

export function formatCount(n: Maybe): string {
  if (!known(n)) return UNKNOWN;
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a < 1000) {
    if (Number.isInteger(a)) return sign + String(a);
    if (a < 10) {
      const s = trimZero(a.toFixed(1));
      return s === '0' ? '0' : sign + s;
    }
    const r = Math.round(a);
    if (r < 1000) return sign + String(r);
  }
  return sign + scaled(a, 1000, ['k', 'M', 'B', 'T'], '');
}

/** a >= base (or rounds up to it): "1.2k", "34k". One decimal below 10 of a unit, none above. */
function scaled(a: number, base: number, units: string[], space: string): string {
  let v = a / base;
  for (let i = 0; i < units.length; i++) {
    const last = i === units.length - 1;
    if (v < 9.95) return `${v.toFixed(1)}${space}${units[i]}`;
    if (v < 999.5 || last) return `${Math.round(v)}${space}${units[i]}`;
    v /= base;
  }
  return String(a);
}

/** 850 ms, 2.5 ms, 1.2 s, 42 s, 3m 04s, 2h 05m, 3d 04h. */
export function formatDurationMs(ms: Maybe): string {
  if (!known(ms)) return UNKNOWN;
  if (ms < 0) return '-' + formatDurationMs(-ms);
  if (ms < 1000) {
    if (ms > 0 && ms < 10 && !Number.isInteger(ms)) {
      const s = trimZero(ms.toFixed(1));
      if (s !== '0') return `${s} ms`;
      return '<0.1 ms';
    }
    const r = Math.round(ms);
    if (r < 1000) return `${r} ms`;
  }
  if (ms < 9950) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  return compactClockDuration(totalSeconds);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** 3m 04s, 2h 05m, 3d 04h (seconds >= 60). */
function compactClockDuration(totalSeconds: number): string {
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m ${pad2(totalSeconds % 60)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 24 * 60) return `${Math.floor(totalMinutes / 60)}h ${pad2(totalMinutes % 60)}m`;
  const totalHours = Math.floor(totalMinutes / 60);
  return `${Math.floor(totalHours / 24)}d ${pad2(totalHours % 24)}h`;
}

/** An age or a span in seconds: 42 s, 41 min, 2 h 05 min, 3 d 4 h. */
export function formatAgeSeconds(s: Maybe): string {
  if (!known(s)) return UNKNOWN;
  if (s < 0) return '-' + formatAgeSeconds(-s);
  const seconds = Math.floor(s);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${pad2(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** 512 B, 1.5 KiB, 1.0 MiB, 120 MiB, 2.0 GiB (binary units). */
export function formatBytes(n: Maybe): string {
  if (!known(n)) return UNKNOWN;
  if (n < 0) return '-' + formatBytes(-n);
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  for (let i = 0; i < units.length; i++) {
    const last = i === units.length - 1;
    if (v < 99.95) return `${v.toFixed(1)} ${units[i]}`;
    if (v < 1023.5 || last) return `${Math.round(v)} ${units[i]}`;
    v /= 1024;
  }
  return `${n} B`;
}

/** A ratio as a percentage: 0.123 -> 12%, 0.05 -> 5%, 0.005 -> 0.5%, 0.0001 -> <0.1%, 1.5 -> 150%. */
export function formatPercent(ratio: Maybe): string {
  if (!known(ratio)) return UNKNOWN;
  const p = ratio * 100;
  const a = Math.abs(p);
  if (a === 0) return '0%';
  if (a < 0.05) return p < 0 ? '>-0.1%' : '<0.1%';
  if (a < 9.95) return `${trimZero(p.toFixed(1))}%`;
  return `${Math.round(p)}%`;
}

/** Events per second: 12/s, 0.5/s, 0.02/s, 3.4k/s. */
export function formatRate(perSecond: Maybe): string {
  if (!known(perSecond)) return UNKNOWN;
  const a = Math.abs(perSecond);
  if (a === 0) return '0/s';
  if (a < 0.095) return `${trimZero(perSecond.toFixed(2))}/s`;
  if (a < 9.95) return `${trimZero(perSecond.toFixed(1))}/s`;
  return `${formatCount(Math.round(perSecond))}/s`;
}

/** just now, 12 s ago, 3 min ago, 2 h 05 min ago; "in 12 s" for a time ahead of now. */
export function formatRelativeTime(then: Maybe, now: number): string {
  if (!known(then) || !known(now)) return UNKNOWN;
  const diffSeconds = (now - then) / 1000;
  if (Math.abs(diffSeconds) < 5) return 'just now';
  if (diffSeconds < 0) return `in ${formatAgeSeconds(-diffSeconds)}`;
  return `${formatAgeSeconds(diffSeconds)} ago`;
}

/** Wall clock time of day, 14:03:05 (local time unless utc). */
export function formatClock(epochMs: Maybe, options: {utc?: boolean} = {}): string {
  if (!known(epochMs)) return UNKNOWN;
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return UNKNOWN;
  return options.utc
    ? `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
    : `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** An unambiguous UTC timestamp: 2019-11-14 18:16:05Z (with milliseconds when asked: 18:16:05.568Z). */
export function formatTimestamp(epochMs: Maybe, options: {milliseconds?: boolean} = {}): string {
  if (!known(epochMs)) return UNKNOWN;
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return UNKNOWN;
  const iso = d.toISOString(); // 2019-11-14T18:16:05.568Z
  return `${iso.slice(0, 10)} ${options.milliseconds ? iso.slice(11, 23) : iso.slice(11, 19)}Z`;
}
