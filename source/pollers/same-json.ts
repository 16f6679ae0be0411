// Do two poll answers say the same? The pollers keep the previous data object when they do (its identity tells
// the screen nothing changed). JSON.stringify of both, compared, was the test: a metrics answer is an hour of
// points per series, so every refresh wrote two such strings (~3 % of an idle --demo's CPU, and their garbage)
// only to find them different at the first point that moved. This walks both at once and stops at the first
// difference, allocating nothing but key lists.
//
// Never looser than the JSON comparison: when this says equal, so would JSON.stringify. It may be stricter on
// values a poll answer does not hold (NaN, a key set to undefined against a missing one, key order); then the
// poller only publishes an equal answer as new.

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i], y[i])) return false;
    return true;
  }
  if (!plain(a) || !plain(b)) return JSON.stringify(a) === JSON.stringify(b); // a Date, a Map, toJSON: as JSON says
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function plain(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (o as {toJSON?: unknown}).toJSON !== 'function';
}
