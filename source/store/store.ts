// A tiny external store: the reducer's state, listeners, and nothing else. React reads it through
// useSyncExternalStore (see context.tsx); the lead's wiring dispatches into it from pollers and jobs.
import type {Action} from './actions.ts';
import {reduce} from './reducer.ts';
import type {AppState} from './types.ts';

export interface Store {
  getState(): AppState;
  dispatch(action: Action): void;
  /** Returns the unsubscribe function. Listeners run after every state change (not on no-op actions). */
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: AppState, reducer: (state: AppState, action: Action) => AppState = reduce): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
