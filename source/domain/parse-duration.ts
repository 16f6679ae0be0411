// Durations typed by people on the command line: 10s, 5m, 1h, 1h30m, 500ms, 2d, 1.5h, or a bare number of seconds.

export class DurationError extends Error {
  override name = 'DurationError';
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|sec|min|s|m|h|d)/gy;
const HINT = 'use forms like 30s, 5m, 1h, 1h30m, 500ms, 2d (a bare number is seconds)';

/** Milliseconds for a duration text. Throws DurationError with a message naming the input when malformed. */
export function parseDuration(text: string): number {
  if (typeof text !== 'string') throw new DurationError(`malformed duration: expected text, ${HINT}`);
  const input = text.trim().toLowerCase();
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (input === '') throw new DurationError(`empty duration: ${HINT}`);
  if (input.startsWith('-')) throw new DurationError(`negative duration "${shown}": ${HINT}`);
  let ms: number;
  if (/^(\d+(\.\d+)?|\.\d+)$/.test(input)) {
    ms = Number(input) * 1000;
  } else {
    ms = 0;
    let index = 0;
    const seen = new Set<string>();
    PART.lastIndex = 0;
    while (index < input.length) {
      PART.lastIndex = index;
      const match = PART.exec(input);
      if (!match) throw new DurationError(`malformed duration "${shown}": ${HINT}`);
      const unit = UNIT_MS[match[2]!]!;
      if (seen.has(String(unit))) throw new DurationError(`malformed duration "${shown}": a unit appears twice; ${HINT}`);
      seen.add(String(unit));
      ms += Number(match[1]) * unit;
      index = PART.lastIndex;
      while (input[index] === ' ') index++;
    }
  }
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) throw new DurationError(`duration "${shown}" is too large`);
  return Math.round(ms);
}

/** The shortest text parseDuration reads back to the same value (for help text and messages): 90000 -> "1m30s". */
export function durationToText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
