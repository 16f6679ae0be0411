// Pure layout: how many rows each dashboard panel gets, so the screen fills the terminal exactly.

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;
/** Two columns side by side from this width. */
export const WIDE_COLUMNS = 150;
/** Narrower than this: compact tables (fewer columns, shorter labels). */
export const COMPACT_COLUMNS = 80;

export interface PanelHeights {
  pipeline: number;
  concurrency: number;
  queues: number;
  diagnosis: number;
}

export interface DashboardLayout {
  mode: 'wide' | 'stacked';
  compact: boolean;
  /** Width of the left column (the whole width when stacked). */
  leftWidth: number;
  rightWidth: number;
  heights: PanelHeights;
}

export interface NaturalHeights {
  pipeline: number;
  concurrency: number;
  queues: number;
  /** The diagnosis's full height at its width. */
  diagnosis: number;
}

export function splitColumns(columns: number): {mode: 'wide' | 'stacked'; leftWidth: number; rightWidth: number} {
  if (columns >= WIDE_COLUMNS) {
    const leftWidth = Math.floor((columns - 2) * 0.55);
    return {mode: 'wide', leftWidth, rightWidth: columns - 2 - leftWidth};
  }
  return {mode: 'stacked', leftWidth: columns, rightWidth: columns};
}

/**
 * Rows per panel for a body of `bodyRows` (undefined = no limit, natural heights). The diagnosis keeps at
 * least its title and first finding; whatever is left over goes to it.
 */
export function dashboardLayout(columns: number, bodyRows: number | undefined, natural: (widths: {left: number; right: number}) => NaturalHeights): DashboardLayout {
  const split = splitColumns(columns);
  const compact = columns < COMPACT_COLUMNS;
  const n = natural({left: split.leftWidth, right: split.rightWidth});
  if (bodyRows === undefined) {
    return {...split, compact, heights: {...n}};
  }
  const reserveDiagnosis = Math.min(n.diagnosis, 3);
  let heights: PanelHeights;
  if (split.mode === 'wide') {
    const pipeline = Math.max(0, Math.min(n.pipeline, bodyRows - Math.min(n.concurrency, 1)));
    const concurrency = Math.max(0, Math.min(n.concurrency, bodyRows - pipeline));
    const queues = Math.max(0, Math.min(n.queues, bodyRows - reserveDiagnosis));
    heights = {pipeline, concurrency, queues, diagnosis: Math.max(0, bodyRows - queues)};
  } else {
    let rest = bodyRows;
    const take = (want: number): number => {
      const got = Math.max(0, Math.min(want, rest));
      rest -= got;
      return got;
    };
    const pipeline = take(Math.min(n.pipeline, bodyRows - reserveDiagnosis - Math.min(n.concurrency, 1)));
    const concurrency = take(Math.min(n.concurrency, rest - reserveDiagnosis));
    const queues = take(Math.min(n.queues, rest - reserveDiagnosis));
    heights = {pipeline, concurrency, queues, diagnosis: Math.max(0, rest)};
  }
  return {...split, compact, heights};
}
