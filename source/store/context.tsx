// React access to the store: one provider at the root, `useAppState(selector)` in components.
// Selectors must return stable values (a slice of the state, or a memoised derivation), never a fresh
// object per call: useSyncExternalStore compares with Object.is.
import React, {createContext, useContext, useRef, useSyncExternalStore, type ReactNode} from 'react';
import type {Dispatch} from './actions.ts';
import type {Store} from './store.ts';
import type {AppState} from './types.ts';

const StoreContext = createContext<Store | null>(null);

export function StoreProvider({store, children}: {store: Store; children: ReactNode}): React.JSX.Element {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore: no <StoreProvider> above this component');
  return store;
}

export function useAppState<T>(selector: (state: AppState) => T): T {
  const store = useStore();
  return useSyncExternalStore(
    store.subscribe,
    () => selector(store.getState()),
    () => selector(store.getState()),
  );
}

export function useDispatch(): Dispatch {
  return useStore().dispatch;
}

/**
 * Like useAppState, for selectors that derive a fresh value (an object, an array): the component re-renders
 * only when `isEqual(previous, next)` says the derived value changed. A clock tick that changes nothing the
 * component draws then costs one selector call, not a render.
 */
export function useAppStateWith<T>(selector: (state: AppState) => T, isEqual: (a: T, b: T) => boolean): T {
  const store = useStore();
  const memo = useRef<{state: AppState; selector: (state: AppState) => T; value: T} | null>(null);
  const read = (): T => {
    const state = store.getState();
    const last = memo.current;
    if (last && last.state === state && last.selector === selector) return last.value;
    const next = selector(state);
    const value = last && isEqual(last.value, next) ? last.value : next;
    memo.current = {state, selector, value};
    return value;
  };
  return useSyncExternalStore(store.subscribe, read, read);
}

/** Shallow equality of two plain objects (same keys, Object.is values). */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as Array<keyof T>;
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.is(a[key], b[key]));
}
