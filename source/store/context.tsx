// React access to the store: one provider at the root, `useAppState(selector)` in components.
// Selectors must return stable values (a slice of the state, or a memoised derivation), never a fresh
// object per call: useSyncExternalStore compares with Object.is.
import React, {createContext, useContext, useSyncExternalStore, type ReactNode} from 'react';
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
