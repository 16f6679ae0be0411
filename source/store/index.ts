export type * from './types.ts';
export {PANELS, WINDOW_STEPS_MS, FAILED_SORT_KEYS} from './types.ts';
export type {Action, Dispatch} from './actions.ts';
export {reduce, createInitialState, stepWindow, emptyProgress, initialFailedState, QUEUE_HISTORY_LIMIT, DEFAULT_FLASH_TTL_MS} from './reducer.ts';
export {createStore, type Store} from './store.ts';
export {StoreProvider, useStore, useAppState, useAppStateWith, shallowEqual, useDispatch} from './context.tsx';
export * from './selectors.ts';
