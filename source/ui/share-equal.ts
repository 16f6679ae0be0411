// Structural sharing for view models rebuilt on every refresh: a part that came out equal to the previous
// build's keeps the previous object, so React.memo panels fed from it skip their render (a refresh that adds a
// queue-history sample but changes no figure redraws no panel). Pure; for plain data (no Dates, Maps, classes).

/** Deep equality of plain data: primitives (NaN equals NaN), arrays and plain objects. */
export function plainEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!plainEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !plainEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** `next`, with each top-level field that equals `previous`'s replaced by `previous`'s object; `previous` itself
 * when every field is equal. */
export function sharePrevious<T extends object>(previous: T | null, next: T): T {
  if (previous === null) return next;
  let changed = false;
  const out = {...next};
  for (const key of Object.keys(next) as Array<keyof T>) {
    if (plainEqual(previous[key], next[key])) out[key] = previous[key];
    else changed = true;
  }
  return changed || Object.keys(previous).length !== Object.keys(next).length ? out : previous;
}
