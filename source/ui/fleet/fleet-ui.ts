// The fleet view's screen state (sort, filter, selection, help) in a small store of its own, outside React: it
// outlives the table while a function's dashboard is open, so esc comes back to the same selection.
// The selection is a function NAME (it follows the row when the sort or the data moves it), and the view model
// (sorted, filtered rows and the window of rows drawn) is computed here, pure and memoised.
import {compileFilter, filterRows, nextSortKey, sortByName, sortRows, type FleetRow, type FleetSortKey} from '../../domain/fleet.ts';
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

/** Sort + filter, each memoised on what it depends on: the name order on the rows (a data update), the sort on
 * (rows, sort key), the filter on (sorted rows, filter text), so a filter keystroke filters the sorted rows
 * (a filter keeps their order) without sorting again, a sort key sorts numbers over the name order, and a cursor
 * move costs a scan for the selected name. */
export function createTableModel(): (rows: readonly FleetRow[], ui: FleetUiState) => FleetTable {
  let named: {rows: readonly FleetRow[]; order: FleetRow[]; index: Int32Array} | null = null;
  let sorted: {rows: readonly FleetRow[]; key: FleetSortKey; out: FleetRow[]} | null = null;
  let filtered: {sorted: FleetRow[]; text: string; out: FleetRow[]; error: string | null} | null = null;
  let found: {list: FleetRow[]; name: string | null; index: number} | null = null;
  return (rows, ui) => {
    if (!named || named.rows !== rows) named = nameOrder(rows, named);
    if (!sorted || sorted.rows !== rows || sorted.key !== ui.sortKey) sorted = {rows, key: ui.sortKey, out: sortRows(rows, ui.sortKey, named.order)};
    if (!filtered || filtered.sorted !== sorted.out || filtered.text !== ui.filterText) {
      const {regex, error} = compileFilter(ui.filterText);
      // an invalid regex filters nothing (and says so) rather than hiding every row
      filtered = {sorted: sorted.out, text: ui.filterText, out: regex ? filterRows(sorted.out, regex) : sorted.out, error};
    }
    const list = filtered.out;
    if (!found || found.list !== list || found.name !== ui.selected) {
      const index = ui.selected === null ? 0 : list.findIndex((r) => r.name === ui.selected);
      found = {list, name: ui.selected, index: Math.max(0, index)};
    }
    return {rows: list, filterError: filtered.error, cursor: found.index};
  };
}

/** The rows in name order, and each one's index in `rows`. A data refresh rebuilds the rows with the same names in
 * the same places (the listing did not change): the previous order is then reused, without comparing strings. */
function nameOrder(rows: readonly FleetRow[], previous: {rows: readonly FleetRow[]; index: Int32Array} | null): {rows: readonly FleetRow[]; order: FleetRow[]; index: Int32Array} {
  if (previous && previous.rows.length === rows.length && rows.every((r, i) => r.name === previous.rows[i]!.name)) {
    const index = previous.index;
    return {rows, order: Array.from(index, (i) => rows[i]!), index};
  }
  const positions = new Map(rows.map((r, i) => [r, i]));
  const order = sortByName(rows);
  return {rows, order, index: Int32Array.from(order, (r) => positions.get(r)!)};
}

/** The first row to draw so that `cursor` is on screen, keeping `top` when it already is (the failed list's rule). */
export function scrollFor(cursor: number, top: number, height: number, total: number): number {
  return scrollTop(top, cursor, height, total);
}
