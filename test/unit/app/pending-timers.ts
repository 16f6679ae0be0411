// The timers code under test has pending on node:test's mock timers: set and neither fired nor cleared yet.

/** Wraps the (mocked) global setTimeout and clearTimeout; call it after `mock.timers.enable`. The mock restores
 * the real functions after the test, over this wrapper too. */
export function pendingTimers(): {readonly size: number} {
  const pending = new Set<unknown>();
  const set = globalThis.setTimeout;
  const clear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const handle: unknown = set(() => {
      pending.delete(handle);
      fn();
    }, ms);
    pending.add(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(handle);
    clear(handle);
  }) as typeof clearTimeout;
  return {
    get size() {
      return pending.size;
    },
  };
}
