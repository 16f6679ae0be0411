// A feature whose modules load on first use (a dynamic import), off the dashboard's start-up path. Intents given
// before it has loaded wait for it and run in the order they were given; once it has loaded they run at once, in
// the caller's turn, as if it had been imported statically. A load that fails is reported and tried again by the
// next intent.
export interface LazyFeature<T> {
  /** The feature, once loaded (null before). */
  readonly current: T | null;
  /** Whether a load has begun (and not failed). */
  readonly started: boolean;
  /** Runs `intent` with the feature: now if it has loaded, else once it has (loading it if need be). */
  run(intent: (feature: T) => void): void;
  /** Loads it (if not begun yet) and resolves with it; null if the load failed. */
  load(): Promise<T | null>;
}

export function createLazyFeature<T>(options: {
  load: () => Promise<T>;
  /** A load failed, or a waiting intent threw: say so (the intent is dropped, as a throwing call would be). */
  onError: (error: unknown, during: 'load' | 'intent') => void;
  /** Checked before each waiting intent runs: false drops it (the app has stopped meanwhile). */
  live?: () => boolean;
}): LazyFeature<T> {
  let current: T | null = null;
  let loading: Promise<T | null> | null = null;
  /** Intents waiting for the load: a later one waits behind them even once the feature is in. */
  let waiting = 0;
  const live = options.live ?? (() => true);

  const load = (): Promise<T | null> => {
    loading ??= options.load().then(
      (feature) => (current = feature),
      (error: unknown) => {
        loading = null;
        options.onError(error, 'load');
        return null;
      },
    );
    return loading;
  };

  return {
    get current() {
      return current;
    },
    get started() {
      return loading !== null;
    },
    run(intent) {
      if (current !== null && waiting === 0) {
        intent(current);
        return;
      }
      waiting++;
      void load().then((feature) => {
        waiting--;
        if (feature === null || !live()) return;
        try {
          intent(feature);
        } catch (error) {
          options.onError(error, 'intent');
        }
      });
    },
    load,
  };
}
