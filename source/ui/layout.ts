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
  /** The diagnosis's title and first shown finding whole (its advice), with the "more" line: what a short
   * terminal keeps of it before the pipeline's lesser rows (default: 3 lines). */
  diagnosisFirst?: number;
  /** The pipeline's title and the rows it never gives up (default: all of them). */
  pipelineMin?: number;
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
    return {...split, compact, heights: {pipeline: n.pipeline, concurrency: n.concurrency, queues: n.queues, diagnosis: n.diagnosis}};
  }
  const reserveDiagnosis = Math.min(n.diagnosis, 3);
  let heights: PanelHeights;
  if (split.mode === 'wide') {
    const pipeline = Math.max(0, Math.min(n.pipeline, bodyRows - Math.min(n.concurrency, 1)));
    const concurrency = Math.max(0, Math.min(n.concurrency, bodyRows - pipeline));
    const queues = Math.max(0, Math.min(n.queues, bodyRows - reserveDiagnosis));
    heights = {pipeline, concurrency, queues, diagnosis: Math.max(0, bodyRows - queues)};
  } else {
    heights = stackedHeights(bodyRows, n);
  }
  return {...split, compact, heights};
}

/** Stacked panels on a body of `bodyRows`, granted in priority order (issue 7: at 80x24 queue names and the
 * diagnosis advice win): the pipeline's stages, the diagnosis's first finding whole, every queue row, one line of
 * concurrency; then the pipeline's other rows, the rest of concurrency, and whatever is left to the diagnosis. */
function stackedHeights(bodyRows: number, n: NaturalHeights): PanelHeights {
  const h: PanelHeights = {pipeline: 0, concurrency: 0, queues: 0, diagnosis: 0};
  let rest = bodyRows;
  const grant = (panel: keyof PanelHeights, upTo: number): void => {
    const got = Math.max(0, Math.min(upTo - h[panel], rest));
    h[panel] += got;
    rest -= got;
  };
  const diagnosisFloor = Math.min(n.diagnosis, 2);
  const diagnosisFirst = Math.min(n.diagnosis, n.diagnosisFirst ?? 3, Math.max(3, Math.floor(bodyRows * 0.45)));
  grant('pipeline', Math.min(n.pipelineMin ?? n.pipeline, n.pipeline, bodyRows - diagnosisFloor));
  grant('diagnosis', diagnosisFirst);
  grant('queues', n.queues);
  grant('concurrency', Math.min(1, n.concurrency));
  grant('pipeline', n.pipeline);
  grant('concurrency', n.concurrency);
  grant('diagnosis', h.diagnosis + rest);
  return h;
}
