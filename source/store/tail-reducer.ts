// The logs panel's part of the state (`L`): what the tail source read, and how the operator looks at it
// (failures or all, paused, following, scroll, filter). Pure.
import type {Action} from './actions.ts';
import type {LogTailState} from './types.ts';

export function initialTailState(): LogTailState {
  return {
    logGroup: null,
    mode: {kind: 'connecting'},
    showAll: false,
    paused: false,
    following: true,
    scroll: 0,
    filter: {text: '', editing: false},
    lines: [],
    received: 0,
    dropped: 0,
    sampled: 0,
    capacity: null,
    frozen: null,
    error: null,
  };
}

const clamp = (value: number, min: number, max: number): number => Math.max(min, Math.min(max, value));

/** The next logs-panel state, or undefined when the action is not one of the panel's. */
export function reduceTail(tail: LogTailState, action: Action): LogTailState | undefined {
  switch (action.type) {
    case 'tail/started':
      return {...tail, logGroup: action.logGroup, capacity: action.capacity};
    case 'tail/mode':
      return {...tail, mode: action.mode};
    case 'tail/lines':
      return {...tail, lines: action.lines, received: action.received, dropped: action.dropped, sampled: action.sampled ?? 0, error: null};
    case 'tail/error':
      return tail.error === action.message ? tail : {...tail, error: action.message};
    case 'tail/toggle-all':
      return {...tail, showAll: !tail.showAll};
    case 'tail/toggle-pause':
      return tail.paused ? {...tail, paused: false, frozen: null} : {...tail, paused: true, frozen: {lines: tail.lines, received: tail.received}};
    case 'tail/toggle-follow':
      return {...tail, following: !tail.following};
    case 'tail/follow':
      return {...tail, following: true};
    case 'tail/scroll': {
      const max = Math.max(0, action.maxScroll);
      const from = tail.following ? max : clamp(tail.scroll, 0, max);
      return {...tail, following: false, scroll: clamp(from + action.delta, 0, max)};
    }
    case 'tail/filter-start':
      return {...tail, filter: {...tail.filter, editing: true}};
    case 'tail/filter-set':
      return {...tail, filter: {...tail.filter, text: action.text}};
    case 'tail/filter-apply':
      return {...tail, filter: {...tail.filter, editing: false}};
    case 'tail/filter-clear':
      return {...tail, filter: {text: '', editing: false}};
    default:
      return undefined;
  }
}
