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
  /** Runs `listener` with each action before the reducer takes it (work that can start ahead of the reducer's,
   * e.g. the payload search of a filter text, beside the reducer's filtering). Returns the unsubscribe function. */
  beforeDispatch(listener: (action: Action, state: AppState) => void): () => void;
}

export function createStore(initial: AppState, reducer: (state: AppState, action: Action) => AppState = reduce): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  const before = new Set<(action: Action, state: AppState) => void>();
  return {
    getState: () => state,
    dispatch(action) {
      for (const listener of before) listener(action, state);
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
    beforeDispatch(listener) {
      before.add(listener);
      return () => {
        before.delete(listener);
      };
    },
  };
}
