// The fleet view's screen state (sort, filter, selection, help) in a small store of its own, outside React: it
// outlives the table while a function's dashboard is open, so esc comes back to the same selection.
// The selection is a function NAME (it follows the row when the sort or the data moves it), and the view model
// (sorted, filtered rows and the window of rows drawn) is computed here, pure and memoised.
import {compileFilter, filterRows, nextSortKey, sortRows, type FleetRow, type FleetSortKey} from '../../domain/fleet.ts';
import {scrollTop} from '../components/FailedEventsView.tsx';

export interface FleetUiState {
  sortKey: FleetSortKey;
  filterText: string;
  editing: boolean;
  /** The selected function's name (null: the first row). */
  selected: string | null;
  /** First row drawn (kept so the table does not jump while the cursor moves inside the screen). */
  scrollTop: number;
  help: boolean;
}

export type FleetUiAction =
  | {type: 'sort-cycle'}
  | {type: 'filter-start'}
  | {type: 'filter-set'; text: string}
  | {type: 'filter-apply'}
  | {type: 'filter-cancel'}
  | {type: 'select'; name: string | null; scrollTop: number}
  | {type: 'help-toggle'};

export const initialFleetUi = (): FleetUiState => ({sortKey: 'health', filterText: '', editing: false, selected: null, scrollTop: 0, help: false});

export function reduceFleetUi(state: FleetUiState, action: FleetUiAction): FleetUiState {
  switch (action.type) {
    case 'sort-cycle':
      return {...state, sortKey: nextSortKey(state.sortKey)};
    case 'filter-start':
      return {...state, editing: true};
    case 'filter-set':
      return {...state, filterText: action.text, scrollTop: 0};
    case 'filter-apply':
      return {...state, editing: false};
    case 'filter-cancel':
      return {...state, editing: false, filterText: '', scrollTop: 0};
    case 'select':
      return state.selected === action.name && state.scrollTop === action.scrollTop ? state : {...state, selected: action.name, scrollTop: action.scrollTop};
    case 'help-toggle':
      return {...state, help: !state.help};
  }
}

export interface FleetUiStore {
  getState(): FleetUiState;
  dispatch(action: FleetUiAction): void;
  subscribe(listener: () => void): () => void;
}

export function createFleetUiStore(initial: FleetUiState = initialFleetUi()): FleetUiStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduceFleetUi(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface FleetTable {
  /** Sorted and filtered: every row that matches (the table draws a window of it). */
  rows: readonly FleetRow[];
  filterError: string | null;
  /** Index of the selected row in `rows` (0 when the selected name is filtered out or not set). */
  cursor: number;
}

/** Sort + filter, memoised on (rows identity, sort key, filter text): a cursor move costs nothing. */
export function createTableModel(): (rows: readonly FleetRow[], ui: FleetUiState) => FleetTable {
  let lastRows: readonly FleetRow[] | null = null;
  let lastKey: FleetSortKey | null = null;
  let lastFilter: string | null = null;
  let cached: {rows: FleetRow[]; filterError: string | null; index: Map<string, number>} | null = null;
  return (rows, ui) => {
    if (!cached || rows !== lastRows || ui.sortKey !== lastKey || ui.filterText !== lastFilter) {
      const {regex, error} = compileFilter(ui.filterText);
      // an invalid regex filters nothing (and says so) rather than hiding every row
      const sorted = sortRows(filterRows(rows, regex), ui.sortKey);
      cached = {rows: sorted, filterError: error, index: new Map(sorted.map((r, i) => [r.name, i]))};
      lastRows = rows;
      lastKey = ui.sortKey;
      lastFilter = ui.filterText;
    }
    const cursor = ui.selected === null ? 0 : (cached.index.get(ui.selected) ?? 0);
    return {rows: cached.rows, filterError: cached.filterError, cursor};
  };
}

/** The first row to draw so that `cursor` is on screen, keeping `top` when it already is (the failed list's rule). */
export function scrollFor(cursor: number, top: number, height: number, total: number): number {
  return scrollTop(top, cursor, height, total);
}
